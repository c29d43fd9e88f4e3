FROM node:20
ONBUILD COPY package.json /app/
ONBUILD RUN ["npm", "ci"]
ONBUILD RUN --mount=type=cache,target=/root/.npm <<EOF
npm run build
EOF
ONBUILD FROM alpine
ONBUILD ONBUILD RUN x
ONBUILD MAINTAINER me
ONBUILD ENV A=1
