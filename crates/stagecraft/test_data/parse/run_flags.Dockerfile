FROM --platform=$BUILDPLATFORM debian:bookworm
RUN --mount=type=cache,target=/var/cache/apt --mount=type=bind,source=.,target=/src \
    --network=none apt-get update
RUN --security=insecure id
CMD --doit ["a"]
