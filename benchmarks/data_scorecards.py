"""Scorecards' own rows for the benchmark bank: HR's weights with a short history and an API
token for the HR system (the figures themselves come from the other domains' data)."""

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlmodel import Session

from scorecards.models import ApiToken, CompositeWeights
from scorecards.tokens import hash_token

# The benchmark's HR system presents this token (never a real one: it is in the source).
BENCH_TOKEN = "flt_benchmark-token-not-secret-000000000000000"


def generate(session: Session, rng: random.Random) -> dict[str, int]:
    del rng
    now = datetime.now(UTC)
    session.execute(
        insert(CompositeWeights),
        [
            {
                "audits": 50,
                "training": 20,
                "quizzes": 20,
                "acknowledgments": 10,
                "note": "default",
                "set_at": now - timedelta(days=300),
            },
            {
                "audits": 45,
                "training": 25,
                "quizzes": 15,
                "acknowledgments": 15,
                "note": "年度调整",
                "set_at": now - timedelta(days=30),
            },
        ],
    )
    session.execute(
        insert(ApiToken),
        [
            {
                "name": "bench HR system",
                "scope": "scorecards:read",
                "prefix": BENCH_TOKEN[:12],
                "token_hash": hash_token(BENCH_TOKEN),
                "created_at": now,
            }
        ],
    )
    return {"composite_weights": 2, "api_tokens": 1}
