"""The training pages T1 builds, as one router: authoring, lessons, learning, certificates.
(Assignments, dashboards and refreshers have routers of their own.)"""

from fastapi import APIRouter

from training import views_authoring, views_certificates, views_learning, views_lessons

router = APIRouter()
router.include_router(views_learning.router)
router.include_router(views_authoring.router)
router.include_router(views_lessons.router)
router.include_router(views_certificates.router)
