FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng \
      fonts-noto-core fonts-liberation2 poppler-utils && rm -rf /var/lib/apt/lists/*
# The project runs as an unprivileged user; its data (signing material of the test PKI, the embedded
# default's objects) lives in /var/lib/sohoa, which the compose file mounts as a volume.
RUN useradd --system --uid 10001 --home-dir /var/lib/sohoa --create-home sohoa
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir ".[queue,api]"
ENV OMP_THREAD_LIMIT=1 SOHOA_STORAGE_DATA_DIR=/var/lib/sohoa
USER sohoa
CMD ["digitize", "--help"]
