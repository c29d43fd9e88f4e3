ARG VERSION=1
RUN echo too early
LABEL a=b
FROM alpine:${VERSION}
RUN echo fine
