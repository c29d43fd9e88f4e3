FROM busybox
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ["echo", "exec form"]
RUN echo shell form "with quotes" && \
    echo next line
CMD ["nginx", "-g", "daemon off;"]
CMD nginx -g 'daemon off;'
ENTRYPOINT ["/entry.sh"]
ENTRYPOINT exec /entry.sh
CMD []
EXPOSE 80 443/tcp ${PORT}
VOLUME ["/data", "/logs"]
VOLUME /a /b
STOPSIGNAL SIGTERM
USER app:app
WORKDIR /srv/my app
MAINTAINER Jane Doe <jane@example.com>
HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD ["/bin/check"]
HEALTHCHECK NONE
CMD [ "echo", [ "nested" ] ]
CMD [["a"]]
RUN [ "not", json
ENTRYPOINT []
ENTRYPOINT [ ]
ONBUILD ENTRYPOINT []
RUN []
