FROM alpine
  RUN echo nbsp-indented
 # a comment after NBSP
ONBUILD FOO bar
RUN echo é \
  café
