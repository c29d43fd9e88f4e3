FROM alpine
RUN echo one
FORM typo
RUN echo two
ENV PATH
FROM alpine AS
RUN echo three
SHELL /bin/sh -c
COPY onlyone
RUN echo four
