FROM golang:1.22 AS build
FROM alpine
COPY --from=build --chown=app:app --chmod=0644 --link /out/app /usr/bin/app
COPY --parents --exclude=*.md --exclude="docs/**" ./src/ /app/
COPY --link=false a b c /dir/
COPY ["with space.txt", "/dest dir/"]
ADD --checksum=sha256:abc --keep-git-dir=true https://example.com/x.git /src
ADD --chown="1000:1000" archive.tar.gz /
COPY --user=me a /b
COPY --link=maybe a /b
COPY --from a /b
COPY --from=x --from=y a /b
COPY --doit=true -- --not-a-flag /tmp/
