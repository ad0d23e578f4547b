"""Every scorecards route, gathered into the one router the domain declares."""

from fastapi import APIRouter

from scorecards.token_views import router as token_router

router = APIRouter()
router.include_router(token_router)
