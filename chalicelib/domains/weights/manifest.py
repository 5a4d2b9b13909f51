"""Body weights, in the unit they were logged in."""

from chalicelib.domains.weights.routes import router
from chalicelib.manifest import CsvFormat, Domain, Events, Records

_SERVICE = "chalicelib.domains.weights.service"

DOMAIN = Domain(
    "weights",
    routers=(router,),
    records=(
        Records(
            "weights",
            kind="chalicelib.domains.weights.store:WEIGHTS",
            export=f"{_SERVICE}:WeightService.export_record",
            description="As POST /weights takes them, with id and times",
            record_schema="chalicelib.domains.weights.schemas:WeightRecord",
            build=f"{_SERVICE}:WeightService.build",
            csv=CsvFormat(
                parse="chalicelib.domains.weights.csv_records:records_from_csv",
                shape="chalicelib.domains.weights.csv_records:WEIGHTS_CSV",
            ),
        ),
    ),
    events=(
        Events(
            "weight",
            items="chalicelib.domains.weights.store:WEIGHTS",
            service="chalicelib.deps:weights",
            schema="chalicelib.domains.weights.schemas:Weight",
        ),
    ),
)
