# One image for ConvLab's Streamlit replicas and its training workers (deploy/compose.yaml, deploy/k8s/).
#   docker build -t convlab .
#   docker run -p 8501:8501 convlab                                   # one process, as `streamlit run`
#   docker run -e CONVLAB_REDIS_URL=redis://db:6379/0 convlab python -m engine.worker   # a training worker
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=3 MPLCONFIGDIR=/tmp KERAS_HOME=/tmp/keras

RUN useradd --create-home --uid 10001 convlab
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY --chown=convlab:convlab . .
USER 10001

EXPOSE 8501
# Streamlit's own health endpoint; a worker container (no web server) turns this check off (compose, k8s).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).status != 200)"
CMD ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0", \
     "--server.headless=true", "--browser.gatherUsageStats=false"]
