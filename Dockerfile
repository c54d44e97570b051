# Multi-stage build of the API. Not run here (no Docker engine on the build machine): see README.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props DentalClinic.sln ./
COPY DentalClinic/DentalClinic.csproj DentalClinic/
COPY DentalClinic.ServiceInterface/DentalClinic.ServiceInterface.csproj DentalClinic.ServiceInterface/
COPY DentalClinic.ServiceModel/DentalClinic.ServiceModel.csproj DentalClinic.ServiceModel/
RUN dotnet restore DentalClinic/DentalClinic.csproj
COPY DentalClinic/ DentalClinic/
COPY DentalClinic.ServiceInterface/ DentalClinic.ServiceInterface/
COPY DentalClinic.ServiceModel/ DentalClinic.ServiceModel/
RUN dotnet publish DentalClinic/DentalClinic.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# pg_dump/pg_restore for backups; curl for the health check.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/data && chown -R app:app /app/data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "DentalClinic.dll"]
