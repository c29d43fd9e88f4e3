FROM alpine:3.20
# One heredoc as the script.
RUN <<EOF
set -e
echo "$HOME"
EOF
# Two heredocs on one line, the second quoted (no expansion) and with <<- (tabs stripped).
RUN <<A cat - <<-"B" > /out
a $x
A
	b $y
		c
	B
# A heredoc that is not the first word, with flags before it.
RUN --mount=type=cache,target=/root/.cache python3 - <<'PY'
print("hi")
PY
# A word that only contains << is not a heredoc.
RUN echo a<<b "<<NOT" && echo done
# JSON form never has heredocs.
RUN ["sh", "-c", "cat <<EOF"]
CMD ["true"]
