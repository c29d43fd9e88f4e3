FROM alpine
RUN echo a \
  b
COPY <<EOF /x
hi
EOF
ENV K=été L=1
