# Slim, non-root image. Default: stdio (for clients that launch the container); for remote use run e.g.
#   docker run -p 8000:8000 -e PROJECTOPS_HTTP_TOKEN=... projectops-mcp serve --transport http --host 0.0.0.0
FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install --no-cache-dir --upgrade pip && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
RUN useradd --create-home --uid 10001 app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER app
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
ENTRYPOINT ["projectops-mcp"]
CMD ["serve"]
