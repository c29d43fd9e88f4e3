FROM alpine
RUN echo before
RUN cat <<EOF > /x
line one
line two
