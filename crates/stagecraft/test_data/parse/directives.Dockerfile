# syntax=docker/dockerfile:1.7
#  CHECK = skip=LegacyKeyValueFormat;error=true
# escape=\
# this is a comment, so directives end here
# escape=`
FROM alpine
ENV legacy form
RUN echo \
  hi
