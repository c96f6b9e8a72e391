"""The fake's v2 API (GenAI: chat tasks, batches, deliveries, datasets), served beside v1."""
