FROM alpine:3.20 AS Builder
FROM builder as second
FROM scratch AS 1st
FROM builder AS builder
FROM --platform=linux/arm64 alpine
FROM alpine AS x extra
FROM
