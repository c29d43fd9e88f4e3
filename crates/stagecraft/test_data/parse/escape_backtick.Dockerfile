# escape=`

FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\app
COPY src\ C:\app\src\
RUN powershell -Command `
    Write-Host hello; `
    # a comment inside the continuation
    Write-Host world
ENV PATH="C:\tools;${PATH}" `
    HOME=C:\Users\me
RUN echo done \
