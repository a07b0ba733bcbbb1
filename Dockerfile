FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-vie \
      fonts-noto-core fonts-liberation2 poppler-utils && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir -e ".[queue,api]"
ENV OMP_THREAD_LIMIT=1
