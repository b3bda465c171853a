from __future__ import annotations

from datetime import date

from cases import services
from cases.models import Direction


def register_case(town, title="Integrationsplan för kommunen 2018-2021", body=None, handler=None, on=None):
    with town.scope():
        return services.case_register(
            municipality=town.municipality,
            title=title,
            body=body or town.ks,
            by=town.registrar,
            handler=handler,
            registered_on=on or date(2017, 12, 13),
        )


def register_document(town, case, *, secret=False, description="Tjänsteutlåtande", upload=None):
    with town.scope():
        return services.document_register(
            case,
            direction=Direction.INCOMING if secret else Direction.INTERNAL,
            document_date=date(2017, 12, 13),
            counterpart="Enskild person" if secret else "",
            description=description,
            secrecy_provision="OSL 26 kap. 1 §" if secret else "",
            by=town.registrar,
            upload=upload,
        )
