ARG BASE=alpine VERSION
ARG "QUOTED=a b"
FROM ${BASE}:${VERSION:-3.20}
ARG USER=app GROUP="app users" EMPTY=
ENV A=1 B="two words" C='single $quoted' D=a\ b
ENV LEGACY value with   spaces
ENV E=multi \
    F=line
ENV G="quoted \
   across lines"
LABEL org.opencontainers.image.title="My app" version=1.0
LABEL description A legacy label
ENV NOVALUE
ENV =blank
ENV H=1 bare
