from django.urls import path

from healthtrainer.qualitative import views_analysis, views_codebook, views_documents

app_name = "qualitative"

P = "p/<slug:programme_slug>/qualitative/"

urlpatterns = [
    path(P, views_documents.documents, name="documents"),
    path(f"{P}documents/new/", views_documents.document_new, name="document_new"),
    path(f"{P}documents/<int:document_id>/", views_documents.document, name="document"),
    path(
        f"{P}documents/<int:document_id>/original/",
        views_documents.document_original,
        name="original",
    ),
    path(f"{P}documents/<int:document_id>/code/", views_documents.coding_add, name="coding_add"),
    path(
        f"{P}documents/<int:document_id>/compare/",
        views_analysis.agreement_compare,
        name="compare",
    ),
    path(
        f"{P}codings/<int:coding_id>/remove/", views_documents.coding_remove, name="coding_remove"
    ),
    path(
        f"{P}codings/<int:coding_id>/report/", views_documents.coding_report, name="coding_report"
    ),
    path(f"{P}memos/<str:about>/<int:pk>/", views_documents.memo_add, name="memo_add"),
    path(f"{P}participants/", views_codebook.participants, name="participants"),
    path(f"{P}codebook/", views_codebook.codebook, name="codebook"),
    path(f"{P}codebook.<str:fmt>", views_codebook.codebook_export, name="codebook_export"),
    path(f"{P}codes/<int:code_id>/", views_codebook.code, name="code"),
    path(f"{P}agreement/", views_analysis.agreement, name="agreement"),
    path(f"{P}segments.<str:fmt>", views_analysis.segments_export, name="segments_export"),
    path(f"{P}framework/", views_analysis.framework, name="framework"),
    path(
        f"{P}framework/<int:participant_id>/<int:theme_id>/",
        views_analysis.framework_cell,
        name="framework_cell",
    ),
    path(f"{P}joint-display/", views_analysis.joint, name="joint"),
]
