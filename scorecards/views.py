"""Every scorecards route, gathered into the one router the domain declares."""

from fastapi import APIRouter

from scorecards.api_views import router as api_router
from scorecards.export_views import router as export_router
from scorecards.page_views import router as page_router
from scorecards.rollup_views import router as rollup_router
from scorecards.token_views import router as token_router
from scorecards.weights_views import router as weights_router

router = APIRouter()
# The weights page before /scorecards/{...} routes could shadow it.
for part in (weights_router, page_router, rollup_router, token_router, export_router, api_router):
    router.include_router(part)
