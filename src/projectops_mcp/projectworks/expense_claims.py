"""Expense claims, with their receipt.

The receipt travels inline in the claim's JSON body as `fileName` + `fileContent` (standard base64); there is no
multipart and no separate upload (reference §2.5). Most accounts answer a claim without a file with
`400 "Must include at least one file"`, so create refuses to send one unless `allow_without_receipt` is set.

A receipt comes either as base64 in the call, or as a path inside the operator's receipts directory
(PROJECTOPS_RECEIPTS_DIR). Paths are resolved (symlinks included) and must stay inside that directory; with no
directory configured, paths are refused: the server never reads an arbitrary file. Receipt bytes are never logged,
echoed in errors, or returned.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from pydantic import Field

from projectops_mcp.errors import InputError, PrerequisiteError
from projectops_mcp.models import Deleted, IncludeRaw, Page, PageInput, RawRecord, page_of, without_none
from projectops_mcp.projectworks._common import date_part, empty_answer, iso_datetime
from projectops_mcp.projectworks.client import ProjectworksClient, pick
from projectops_mcp.projectworks.custom_fields import CustomFieldValue, to_custom_fields
from projectops_mcp.projectworks.known_ids import ALLOW_UNVERIFIED, vouched
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

LOOKUP = "projectworks_list_expense_claims"
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


class ExpenseClaim(OutputModel):
    expense_claim_id: int | None = Field(None, description="Absent only if the API's answer to a create had no id.")
    expense_claim_number: str | None = None
    user_id: int | None = None
    client_id: int | None = None
    project_id: int | None = None
    module_id: int | None = None
    expense_claim_type_id: int | None = None
    expense_claim_status_id: int | None = None
    date: str | None = None
    amount: float | None = None
    quantity: float | None = None
    currency_id: int | None = None
    tax_type_id: int | None = None
    is_reimbursable: bool | None = None
    is_processed: bool | None = None
    is_billable: bool | None = None
    notes: str | None = None
    invoice_description: str | None = None
    invoice_id: int | None = None
    file_names: list[str] | None = Field(None, description="Names of the attached receipt files.")
    modified_at: str | None = None
    custom_fields: list[CustomFieldValue] | None = None
    raw: RawRecord = None


def to_claim(record: dict[str, Any], include_raw: bool = False) -> ExpenseClaim:
    files = pick(record, "Files")
    names = [pick(f, "FileName", "Name") for f in files if isinstance(f, dict)] if isinstance(files, list) else []
    return ExpenseClaim(
        expense_claim_id=pick(record, "ExpenseClaimID", "ID"),
        expense_claim_number=pick(record, "ExpenseClaimNumber"),
        user_id=pick(record, "UserID"),
        client_id=pick(record, "ClientID"),
        project_id=pick(record, "ProjectID"),
        module_id=pick(record, "ModuleID"),
        expense_claim_type_id=pick(record, "ExpenseClaimTypeID"),
        expense_claim_status_id=pick(record, "ExpenseClaimStatusID"),
        date=date_part(pick(record, "Date")),
        amount=pick(record, "Amount"),
        quantity=pick(record, "Quantity"),
        currency_id=pick(record, "CurrencyID"),
        tax_type_id=pick(record, "TaxTypeID"),
        is_reimbursable=pick(record, "IsReimbursable"),
        is_processed=pick(record, "IsProcessed"),
        is_billable=pick(record, "IsBillable"),
        notes=pick(record, "Notes"),
        invoice_description=pick(record, "InvoiceDescription"),
        invoice_id=pick(record, "InvoiceID"),
        file_names=[n for n in names if n] or None,
        modified_at=pick(record, "ModifiedDateUTC"),
        custom_fields=to_custom_fields(record),
        raw=record if include_raw else None,
    )


# ---------------------------------------------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------------------------------------------


class ListExpenseClaimsInput(PageInput):
    after_expense_claim_id: int | None = Field(
        None,
        ge=0,
        description="only ids above this; from projectworks_list_expense_claims",
    )
    user_id: int | None = Field(None, gt=0, description="from projectworks_list_users")
    client_id: int | None = Field(None, gt=0, description="from projectworks_list_clients")
    project_id: int | None = Field(None, gt=0, description="from projectworks_list_projects")
    module_id: int | None = Field(None, gt=0, description="from projectworks_list_modules")
    expense_claim_type_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    expense_claim_status_id: int | None = Field(
        None,
        gt=0,
        description="from projectworks_list_reference_ids",
    )
    is_reimbursable: bool | None = Field(None, description="Only reimbursable (true) or non-reimbursable claims.")
    is_billable: bool | None = Field(None, description="Only billable (true) or non-billable (false) claims.")
    start_date: dt.date | None = Field(None, description="Only claims dated on or after this day.")
    end_date: dt.date | None = Field(None, description="Only claims dated on or before this day.")
    invoice_id: int | None = Field(None, gt=0, description="from projectworks_list_invoices")
    modified_since_date: dt.datetime | None = Field(
        None, description="Only claims modified on or after this ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z."
    )
    include_custom_fields: bool | None = Field(None, description="with custom field values")
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_list_expense_claims",
    title="List Expense Claims",
    toolset="projectworks.finance",
    kind="read",
    description="List Projectworks expense claims.",
)
async def list_expense_claims(
    args: ListExpenseClaimsInput, pw: ProjectworksClient, ctx: ToolContext
) -> Page[ExpenseClaim]:
    params = {
        "AfterExpenseClaimID": args.after_expense_claim_id,
        "UserID": args.user_id,
        "ClientID": args.client_id,
        "ProjectID": args.project_id,
        "ModuleID": args.module_id,
        "ExpenseClaimTypeID": args.expense_claim_type_id,
        "ExpenseClaimStatusID": args.expense_claim_status_id,
        "IsReimbursable": args.is_reimbursable,
        "IsBillable": args.is_billable,  # False is a filter too, and is sent
        "StartDate": args.start_date.isoformat() if args.start_date else None,
        "EndDate": args.end_date.isoformat() if args.end_date else None,
        "InvoiceID": args.invoice_id,
        "ModifiedSinceDate": iso_datetime(args.modified_since_date),
        "IncludeCustomFields": args.include_custom_fields,
    }
    records, has_more = await pw.list("/ExpenseClaims", params, page=args.page, page_size=args.page_size)
    return page_of(records, to_claim, args, has_more)


class GetExpenseClaimInput(InputModel):
    expense_claim_id: int = Field(gt=0, description="from projectworks_list_expense_claims")
    include_custom_fields: bool | None = Field(None, description="with custom field values")
    include_raw: IncludeRaw = False


@tool(
    name="projectworks_get_expense_claim",
    title="Get Expense Claim",
    toolset="projectworks.finance",
    kind="read",
    lookup=LOOKUP,
    description="Get one Projectworks expense claim.",
)
async def get_expense_claim(args: GetExpenseClaimInput, pw: ProjectworksClient, ctx: ToolContext) -> ExpenseClaim:
    path = f"/ExpenseClaims/{args.expense_claim_id}"
    # camelCase here, unlike the list's IncludeCustomFields; the answer may be a one-element array (get_one unwraps).
    record = await pw.get_one(path, {"includeCustomFields": args.include_custom_fields})
    if not record:
        raise empty_answer(path)
    return to_claim(record, args.include_raw)


# ---------------------------------------------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------------------------------------------


class ClaimFields(InputModel):
    """The claim as create and the full-replacement update send it: 10 required fields, 6 optional, a receipt."""

    user_id: int = Field(gt=0, description="from projectworks_list_users")
    project_id: int = Field(gt=0, description="from projectworks_list_projects")
    module_id: int = Field(gt=0, description="from projectworks_list_modules")
    expense_claim_type_id: int = Field(gt=0, description="from projectworks_list_reference_ids")
    is_reimbursable: bool = Field(description="Whether the claimant is paid back.")
    is_processed: bool = Field(description="Whether the claim has been processed.")
    date: dt.date = Field(description="The day of the expense, e.g. 2026-11-10.")
    amount: float = Field(gt=0, description="Amount in the claim's currency.")
    currency_id: int = Field(gt=0, description="from projectworks_list_reference_ids")
    tax_type_id: int = Field(gt=0, description="from projectworks_list_reference_ids")
    expense_claim_status_id: int | None = Field(None, gt=0, description="from projectworks_list_reference_ids")
    expense_claim_number: str | None = Field(None, min_length=1, max_length=50, description="Claim number.")
    is_billable: bool | None = Field(None, description="billed on to the client")
    notes: str | None = Field(None, max_length=4000, description="Notes for approvers.")
    invoice_description: str | None = Field(None, max_length=1000, description="Text for the client invoice line.")
    quantity: float | None = Field(None, gt=0, description="e.g. 3 taxi rides")
    receipt_base64: str | None = Field(None, description="the file as base64 (not a data: URL)")
    receipt_filename: str | None = Field(None, min_length=3, max_length=200, description="e.g. taxi.pdf")
    receipt_path: str | None = Field(
        None,
        min_length=1,
        description="instead of receipt_base64: a file in the server's receipts directory",
    )
    allow_unverified_ids: bool = ALLOW_UNVERIFIED


@dataclass(frozen=True)
class Receipt:
    file_name: str
    content: bytes

    def __repr__(self) -> str:  # never show the bytes, even in a traceback or a debug log
        return f"Receipt({self.file_name!r}, {len(self.content)} bytes)"


def claim_body(args: ClaimFields, receipt: Receipt | None) -> dict[str, Any]:
    """The JSON body of POST and PUT /ExpenseClaims, camelCase with None dropped."""
    return without_none(
        userID=args.user_id,
        projectID=args.project_id,
        moduleID=args.module_id,
        expenseClaimTypeID=args.expense_claim_type_id,
        isReimbursable=args.is_reimbursable,
        isProcessed=args.is_processed,
        date=args.date.isoformat(),
        amount=args.amount,
        currencyID=args.currency_id,
        taxTypeID=args.tax_type_id,
        expenseClaimStatusID=args.expense_claim_status_id,
        expenseClaimNumber=args.expense_claim_number,
        isBillable=args.is_billable,
        notes=args.notes,
        invoiceDescription=args.invoice_description,
        quantity=args.quantity,
        fileName=receipt.file_name if receipt else None,
        fileContent=base64.b64encode(receipt.content).decode("ascii") if receipt else None,
    )


def load_receipt(args: ClaimFields, settings: Any) -> Receipt | None:
    """The receipt the arguments name, fully validated; None when none was given. Raises InputError."""
    limit = settings.projectops_max_receipt_bytes
    if args.receipt_base64 is not None and args.receipt_path is not None:
        raise InputError("receipt_path", "give either receipt_base64 or receipt_path, not both.")
    if args.receipt_base64 is not None:
        if args.receipt_filename is None:
            raise InputError("receipt_filename", "is required with receipt_base64 (e.g. 'taxi.pdf').")
        name = _file_name(args.receipt_filename, "receipt_filename")
        return Receipt(name, _decode_base64(args.receipt_base64, limit))
    if args.receipt_path is not None:
        file_name, content = _read_receipt_file(args.receipt_path, settings.projectops_receipts_dir, limit)
        field = "receipt_filename" if args.receipt_filename else "receipt_path"
        return Receipt(_file_name(args.receipt_filename or file_name, field), content)
    if args.receipt_filename is not None:
        raise InputError("receipt_filename", "was given without receipt_base64 or receipt_path.")
    return None


def _decode_base64(text: str, limit: int) -> bytes:
    compact = "".join(text.split())  # line breaks are common in base64 output; nothing else is tolerated
    if compact.startswith("data:"):
        raise InputError("receipt_base64", "send only the base64 payload, without the 'data:...;base64,' prefix.")
    if len(compact) % 4 or not _BASE64.fullmatch(compact):
        raise InputError("receipt_base64", "is not valid standard base64 (A-Z, a-z, 0-9, +, / and = padding).")
    if len(compact) // 4 * 3 > limit + 2:  # reject oversized input before decoding it
        raise InputError("receipt_base64", f"the receipt is larger than the {limit}-byte limit.")
    try:
        content = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise InputError("receipt_base64", "is not valid standard base64.") from None
    if not content:
        raise InputError("receipt_base64", "decodes to an empty file.")
    if len(content) > limit:
        raise InputError("receipt_base64", f"the receipt is {len(content)} bytes; the limit is {limit}.")
    return content


def _read_receipt_file(value: str, receipts_dir: Path | None, limit: int) -> tuple[str, bytes]:
    """(file name, bytes) of a file inside the receipts directory; anything else is refused before it is opened."""
    if receipts_dir is None:
        raise InputError(
            "receipt_path",
            "no receipts directory is configured on this server (PROJECTOPS_RECEIPTS_DIR), so files cannot be "
            "read; send receipt_base64 and receipt_filename instead.",
        )
    try:
        base = Path(receipts_dir).resolve(strict=True)
        path = (base / value).resolve()  # an absolute value replaces base; symlinks are followed before the check
    except (OSError, RuntimeError, ValueError):  # missing directory, symlink loop, NUL byte
        raise InputError("receipt_path", "cannot be resolved inside the receipts directory.") from None
    if not path.is_relative_to(base):
        raise InputError("receipt_path", "is outside the receipts directory; only files inside it can be attached.")
    if not path.is_file():
        raise InputError("receipt_path", f"no such file in the receipts directory: {value!r}.")
    try:
        with path.open("rb") as handle:
            content = handle.read(limit + 1)  # bounded, even if the file grows after the check
    except OSError as exc:
        raise InputError("receipt_path", f"could not be read ({exc.strerror or type(exc).__name__}).") from None
    if not content or len(content) > limit:
        size = "larger than that" if content else "empty"
        raise InputError("receipt_path", f"a receipt must be 1 to {limit} bytes; the file is {size}.")
    return path.name, content


def _file_name(name: str, field: str) -> str:
    plain = PurePath(name).name
    if plain != name or name in (".", ".."):
        raise InputError(field, "must be a plain file name without directories, e.g. 'taxi.pdf'.")
    suffix = PurePath(name).suffix
    if not suffix or len(suffix) < 2 or not PurePath(name).stem:
        raise InputError(field, f"needs a file extension (e.g. '.pdf', '.jpg'); got {name!r}.")
    return name


class CreateExpenseClaimInput(ClaimFields):
    allow_without_receipt: bool = Field(
        False,
        description="only for accounts that accept claims without files",
    )


@tool(
    name="projectworks_create_expense_claim",
    title="Create Expense Claim",
    toolset="projectworks.finance",
    kind="create",
    lookup=LOOKUP,
    description="Submit an expense claim with its receipt (receipt_base64 + receipt_filename, or receipt_path).",
)
async def create_expense_claim(args: CreateExpenseClaimInput, pw: ProjectworksClient, ctx: ToolContext) -> ExpenseClaim:
    receipt = load_receipt(args, ctx.settings)
    if receipt is None and not args.allow_without_receipt:
        raise PrerequisiteError(
            'A receipt is required: most Projectworks accounts reject a claim without a file ("Must include at '
            'least one file"). Attach it with receipt_base64 + receipt_filename or receipt_path, or set '
            "allow_without_receipt: true if this account accepts claims without receipts."
        )
    async with vouched(pw, claim_ids(args), args.allow_unverified_ids):
        data = await pw.post("/ExpenseClaims", claim_body(args, receipt))
    return _written(data, args, receipt)


class UpdateExpenseClaimInput(ClaimFields):
    expense_claim_id: int = Field(gt=0, description="from projectworks_list_expense_claims")


@tool(
    name="projectworks_update_expense_claim",
    title="Update Expense Claim",
    toolset="projectworks.finance",
    kind="replace",
    lookup=LOOKUP,
    description="Replace an expense claim in full: give every required field again; optional fields left out are "
    "cleared.",
)
async def update_expense_claim(args: UpdateExpenseClaimInput, pw: ProjectworksClient, ctx: ToolContext) -> ExpenseClaim:
    receipt = load_receipt(args, ctx.settings)
    async with vouched(pw, claim_ids(args), args.allow_unverified_ids):
        data = await pw.put(f"/ExpenseClaims/{args.expense_claim_id}", claim_body(args, receipt))
    return _written(data, args, receipt, args.expense_claim_id)


class DeleteExpenseClaimInput(InputModel):
    expense_claim_id: int = Field(gt=0, description="from projectworks_list_expense_claims")


@tool(
    name="projectworks_delete_expense_claim",
    title="Delete Expense Claim",
    toolset="projectworks.finance",
    kind="delete",
    lookup=LOOKUP,
    description="Delete a Projectworks expense claim.",
)
async def delete_expense_claim(args: DeleteExpenseClaimInput, pw: ProjectworksClient, ctx: ToolContext) -> Deleted:
    await pw.delete(f"/ExpenseClaims/{args.expense_claim_id}")
    return Deleted(id=args.expense_claim_id)


def claim_ids(args: ClaimFields) -> dict[str, tuple[str, int | None]]:
    """Type, status, currency and tax ids: no lookup endpoint, so they are checked against known_ids.py."""
    return {
        "expense_claim_type_id": ("expense_claim_type", args.expense_claim_type_id),
        "expense_claim_status_id": ("expense_claim_status", args.expense_claim_status_id),
        "currency_id": ("currency", args.currency_id),
        "tax_type_id": ("tax_type", args.tax_type_id),
    }


def _written(data: Any, args: ClaimFields, receipt: Receipt | None, claim_id: int | None = None) -> ExpenseClaim:
    """The claim as the API answered (never its raw body: it could echo the receipt); else what was sent."""
    if isinstance(data, list):
        data = data[0] if data else None
    if isinstance(data, dict) and pick(data, "ExpenseClaimID", "ID") is not None:
        return to_claim(data)
    sent = {k: v for k, v in args.model_dump().items() if k in ExpenseClaim.model_fields}
    sent.update(
        expense_claim_id=claim_id, date=args.date.isoformat(), file_names=[receipt.file_name] if receipt else None
    )
    return ExpenseClaim(**sent)
