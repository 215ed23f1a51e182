from django.urls import path

from healthtrainer.qualitative.views import analysis, codebook, documents

app_name = "qualitative"

P = "p/<slug:programme_slug>/qualitative/"

urlpatterns = [
    path(P, documents.documents, name="documents"),
    path(f"{P}documents/new/", documents.document_new, name="document_new"),
    path(f"{P}documents/<int:document_id>/", documents.document, name="document"),
    path(
        f"{P}documents/<int:document_id>/original/",
        documents.document_original,
        name="original",
    ),
    path(f"{P}documents/<int:document_id>/code/", documents.coding_add, name="coding_add"),
    path(
        f"{P}documents/<int:document_id>/compare/",
        analysis.agreement_compare,
        name="compare",
    ),
    path(f"{P}codings/<int:coding_id>/remove/", documents.coding_remove, name="coding_remove"),
    path(f"{P}codings/<int:coding_id>/report/", documents.coding_report, name="coding_report"),
    path(f"{P}memos/<str:about>/<int:pk>/", documents.memo_add, name="memo_add"),
    path(f"{P}participants/", codebook.participants, name="participants"),
    path(f"{P}codebook/", codebook.codebook, name="codebook"),
    path(f"{P}codebook.<str:fmt>", codebook.codebook_export, name="codebook_export"),
    path(f"{P}codes/<int:code_id>/", codebook.code, name="code"),
    path(f"{P}agreement/", analysis.agreement, name="agreement"),
    path(f"{P}segments.<str:fmt>", analysis.segments_export, name="segments_export"),
    path(f"{P}framework/", analysis.framework, name="framework"),
    path(
        f"{P}framework/<int:participant_id>/<int:theme_id>/",
        analysis.framework_cell,
        name="framework_cell",
    ),
    path(f"{P}joint-display/", analysis.joint, name="joint"),
]
