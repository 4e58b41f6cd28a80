from django.urls import path

from . import views

app_name = "judging"
urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("challenge/<int:challenge_id>/conflicts/", views.conflicts, name="conflicts"),
    path("entry/<int:pk>/round/<int:round_id>/followup/", views.followup, name="followup"),
    path("entry/<int:pk>/round/<int:round_id>/feedback/", views.feedback, name="feedback"),
    path("round/<int:round_id>/", views.queue, name="queue"),
    path("round/<int:round_id>/expo/", views.expo, name="expo"),
    path("round/<int:round_id>/expo/answer/", views.expo_answer, name="expo_answer"),
    path("round/<int:round_id>/review/<int:review_id>/", views.review, name="review"),
    path("round/<int:round_id>/review/<int:review_id>/reopen/", views.reopen, name="reopen"),
    path("round/<int:round_id>/screen/<int:review_id>/", views.screen, name="screen"),
    path(
        "round/<int:round_id>/review/<int:review_id>/file/<int:index>/",
        views.download,
        name="download",
    ),
]
