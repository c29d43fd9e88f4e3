# escape=x
FROM alpine
RUN echo \
  still continues with the default escape
