"""Project budgets (v3) and budget expenses.

The budget list takes an upper-case `status`; anything else is a 400 upstream, so the enum is checked here (lower
case is accepted and upper-cased). Adding an expense uses the endpoint Teamwork's own sample calls "undocumented, used
in app": the body is sent exactly as that sample (`{"budgetExpense": {"cost", "description"}}`) and, since its
answer is unverified, the result is read from `budgetExpense` or `expense` when present and otherwise echoes what was
accepted. Amounts are passed through in the API's own units (financial capacities are integer cents in the SDK).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from projectops_mcp.errors import PrerequisiteError
from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, v1_int
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

BudgetStatus = Literal["ALL", "UPCOMING", "ACTIVE", "COMPLETED", "ARCHIVED", "DELETED", "INVALID"]
ALL_PAGES = 500
MAX_PAGES = 10


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


class Budget(OutputModel):
    budget_id: int
    project_id: int | None = None
    type: str | None = Field(None, description="FINANCIAL or TIME.")
    status: str | None = None
    capacity: float | None = Field(None, description="The budget, in the API's units (financial: cents).")
    capacity_used: float | None = None
    currency_code: str | None = None
    start: str | None = None
    end: str | None = None
    is_repeating: bool | None = None
    raw: RawRecord = None


def to_budget(record: dict[str, Any], include_raw: bool = False) -> Budget:
    return Budget(
        budget_id=record["id"],
        project_id=v1_int(record.get("projectId")),
        type=record.get("type"),
        status=record.get("status"),
        capacity=record.get("capacity"),
        capacity_used=record.get("capacityUsed"),
        currency_code=record.get("currencyCode") or None,
        start=record.get("startDateTime"),
        end=record.get("endDateTime"),
        is_repeating=record.get("isRepeating"),
        raw=record if include_raw else None,
    )


class ListBudgetsInput(PageInput):
    project_ids: list[int] | None = Field(None, min_length=1, description="from teamwork_list_projects")
    status: Annotated[BudgetStatus | None, BeforeValidator(_upper)] = Field(None, description="ALL for every state")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_project_budgets",
    title="List Project Budgets",
    toolset="teamwork.budgets",
    kind="read",
    description="List Teamwork project budgets (financial or time).",
)
async def list_project_budgets(args: ListBudgetsInput, tw: TeamworkClient, ctx: ToolContext) -> Page[Budget]:
    params = {"projectIds": args.project_ids, "status": args.status}
    return await fetch_v3_page(tw, "/projects/budgets.json", "budgets", params, args, to_budget)


async def find_budget(tw: TeamworkClient, budget_id: int) -> dict[str, Any]:
    """One budget, found by listing (there is no documented single-budget read on this path)."""
    for page in range(1, MAX_PAGES + 1):
        records, has_more, _, _ = await tw.v3_list(
            "/projects/budgets.json", "budgets", {"status": "ALL"}, page=page, page_size=ALL_PAGES
        )
        for record in records:
            if record.get("id") == budget_id:
                return record
        if not has_more:
            break
    raise PrerequisiteError(f"budget_id: budget {budget_id} does not exist.", fix_with="teamwork_list_project_budgets")


class AddExpenseInput(InputModel):
    budget_id: int = Field(gt=0, description="from teamwork_list_project_budgets")
    cost: float = Field(gt=0, le=1e9, description="The amount, in the budget's currency.")
    description: str = Field(min_length=1, max_length=1000, description="What it was for, e.g. 'Petrol'.")


class BudgetExpense(OutputModel):
    budget_id: int
    expense_id: int | None = Field(None, description="When the API reports one.")
    cost: float
    description: str
    raw: dict[str, Any] | None = Field(None, description="The upstream answer, when it carried a record.")


@tool(
    name="teamwork_add_budget_expense",
    title="Add Budget Expense",
    toolset="teamwork.budgets",
    kind="create",
    lookup="teamwork_list_project_budgets",
    description="Add an expense to a project's financial budget.",
)
async def add_budget_expense(args: AddExpenseInput, tw: TeamworkClient, ctx: ToolContext) -> BudgetExpense:
    budget = await find_budget(tw, args.budget_id)
    if budget.get("type") != "FINANCIAL":
        raise PrerequisiteError(
            f"budget_id: budget {args.budget_id} is a {budget.get('type')} budget; expenses only count against "
            "FINANCIAL budgets.",
            fix_with="teamwork_list_project_budgets",
        )
    if budget.get("status") in ("DELETED", "INVALID"):
        raise PrerequisiteError(
            f"budget_id: budget {args.budget_id} is {budget['status']}.", fix_with="teamwork_list_project_budgets"
        )
    cost: int | float = int(args.cost) if args.cost.is_integer() else args.cost
    data = await tw.post(
        f"{V3}/projects/budgets/{args.budget_id}/expenses.json",
        {"budgetExpense": {"cost": cost, "description": args.description}},
    )
    record = data.get("budgetExpense") or data.get("expense")
    return BudgetExpense(
        budget_id=args.budget_id,
        expense_id=v1_int(record.get("id")) if isinstance(record, dict) else None,
        cost=cost,
        description=args.description,
        raw=record if isinstance(record, dict) else None,
    )
