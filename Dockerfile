# Summarizer API image: build with the .NET SDK, run on the ASP.NET Core runtime only.
#
#   docker build -t summarizer-api .                                         # ships models/arcticxs-copy
#   docker build -t summarizer-api --build-arg MODEL_DIR=tests/fixtures/tiny .  # ships the tiny test bundle
#   docker run --rm -p 8080:8080 summarizer-api
#
# Works with the classic builder and BuildKit alike (no BuildKit-only syntax). Steps are few on purpose:
# on storage drivers without copy-on-write (vfs) every step copies the whole image. See docs/DEPLOY.md.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

# ---- build ---------------------------------------------------------------------------------------
FROM ${SDK_IMAGE} AS build
# linux-x64 or linux-arm64: only that RID's ONNX Runtime native library lands in the output.
ARG RID=linux-x64
# Passed to NuGet when set (e.g. "offline" where certificate revocation servers are unreachable).
ARG NUGET_CERT_REVOCATION_MODE

# Restore layer, rebuilt only when a project file or the central package versions change. One COPY
# flattens the files; the RUN puts each csproj back in its folder.
COPY Directory.Build.props Directory.Packages.props \
     src/Attention/Attention.csproj src/Inference/Inference.csproj src/Api/Api.csproj /src/
RUN cd /src && for p in Attention Inference Api; do mkdir -p src/$p && mv $p.csproj src/$p/; done \
    && dotnet restore src/Api/Api.csproj -r ${RID}

# Sources: .dockerignore lets only src/{Attention,Inference,Api} into the context.
COPY src/ /src/src/
# No apphost: the entrypoint is `dotnet Summarizer.Api.dll`, which is the same for either RID.
RUN cd /src && dotnet publish src/Api/Api.csproj -c Release -r ${RID} --self-contained false --no-restore \
        -p:UseAppHost=false -o /app/publish

# ---- runtime -------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS final
# The official images since .NET 8 have user "app" with this uid; create it where a base lacks it.
ARG APP_UID=1654
# The model bundle (docs/DESIGN.md "Bundle"); the encoder itself comes with the app, inside its NuGet package DLL.
ARG MODEL_DIR=models/arcticxs-copy
RUN getent passwd app >/dev/null || useradd --uid ${APP_UID} --user-group --no-create-home \
        --home-dir /app --shell /usr/sbin/nologin app

# Metadata before the app files, so rebuilding after a code change only redoes the two COPY steps.
# The port, as in the official images: ASPNETCORE_HTTP_PORTS (all interfaces); ASPNETCORE_URLS overrides it.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Summarizer__ModelPath=/app/model \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /app
EXPOSE 8080
# Numeric uid so Kubernetes' runAsNonRoot can verify it. App files stay root-owned: read-only to it.
USER ${APP_UID}
# Probe without curl (the official aspnet image has none): bash's /dev/tcp speaks HTTP/1.0 to the first port of
# ASPNETCORE_HTTP_PORTS. bash, head and grep are essential packages of every Debian/Ubuntu base.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "p=${ASPNETCORE_HTTP_PORTS:-8080}; p=${p%%[;,]*}; exec 3<>/dev/tcp/127.0.0.1/$p && printf 'GET /health/ready HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Summarizer.Api.dll"]

COPY --from=build /app/publish/ /app/
COPY ${MODEL_DIR}/ /app/model/
