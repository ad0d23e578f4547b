"""Every scorecards route, gathered into the one router the domain declares."""

from fastapi import APIRouter

from scorecards.page_views import router as page_router
from scorecards.rollup_views import router as rollup_router
from scorecards.token_views import router as token_router

router = APIRouter()
for part in (page_router, rollup_router, token_router):
    router.include_router(part)
