"""Your data: export, import, deletion of the account. Built from every other manifest."""

from chalicelib.domains.account.routes import router
from chalicelib.manifest import Domain

DOMAIN = Domain(
    "account",
    routers=(router,),
    jobs=(
        # DELETE /me queues it; so do the two below.
        ("account.erase", "chalicelib.domains.account.jobs:erase"),
        # Put on the queue by the template's EventBridge rule on Cognito's DeleteUser/AdminDeleteUser.
        ("account.user_deleted", "chalicelib.domains.account.jobs:erase_deleted_user"),
        # GET /me/export of an account larger than one read queues it.
        ("account.export", "chalicelib.domains.account.jobs:build_export"),
        # POST /me/import of more than INLINE_IMPORT_RECORDS records queues it.
        ("account.import", "chalicelib.domains.account.jobs:run_import"),
        # Put on the queue by the template's schedule.
        ("account.reconcile", "chalicelib.domains.account.jobs:reconcile"),
    ),
)
