# only comments

   # indented comment
\
