from django.urls import path

from healthtrainer.qualitative import views

app_name = "qualitative"

P = "p/<slug:programme_slug>/qualitative/"

urlpatterns = [
    path(P, views.documents, name="documents"),
    path(f"{P}documents/new/", views.document_new, name="document_new"),
    path(f"{P}documents/<int:document_id>/", views.document, name="document"),
    path(f"{P}documents/<int:document_id>/original/", views.document_original, name="original"),
    path(f"{P}documents/<int:document_id>/code/", views.coding_add, name="coding_add"),
    path(
        f"{P}documents/<int:document_id>/compare/",
        views.agreement_compare,
        name="compare",
    ),
    path(f"{P}codings/<int:coding_id>/remove/", views.coding_remove, name="coding_remove"),
    path(f"{P}codings/<int:coding_id>/report/", views.coding_report, name="coding_report"),
    path(f"{P}memos/<str:about>/<int:pk>/", views.memo_add, name="memo_add"),
    path(f"{P}participants/", views.participants, name="participants"),
    path(f"{P}codebook/", views.codebook, name="codebook"),
    path(f"{P}codebook.<str:fmt>", views.codebook_export, name="codebook_export"),
    path(f"{P}codes/<int:code_id>/", views.code, name="code"),
    path(f"{P}agreement/", views.agreement, name="agreement"),
    path(f"{P}segments.<str:fmt>", views.segments_export, name="segments_export"),
    path(f"{P}framework/", views.framework, name="framework"),
    path(
        f"{P}framework/<int:participant_id>/<int:theme_id>/",
        views.framework_cell,
        name="framework_cell",
    ),
    path(f"{P}joint-display/", views.joint, name="joint"),
]
