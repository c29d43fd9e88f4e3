FROM scratch
COPY <<EOF /etc/motd
Welcome
EOF
COPY --chmod=0755 <<-run.sh <<"conf" /app/
	#!/bin/sh
	echo $1
	run.sh
a=$b
conf
ADD <<EOF /dest
x
EOF
COPY a.txt <<EOF
dest is a heredoc
EOF
COPY b.txt /b
