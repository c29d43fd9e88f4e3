FROM alpine
RUN a \

  b
RUN c \
# comment
  d
ENV X=trailing\\
ENV Y=next
RUN e \
\
 f
RUN g \   
 h
RUN tail \