"""Project budgets (v3): list, create, their task-list budgets, and budget expenses.

The budget list takes an upper-case `status`; anything else is a 400 upstream, so the enum is checked here (lower
case is accepted and upper-cased). Adding an expense uses the endpoint Teamwork's own sample calls "undocumented, used
in app": the body is sent exactly as that sample (`{"budgetExpense": {"cost", "description"}}`) and, since its
answer is unverified, the result is read from `budgetExpense` or `expense` when present and otherwise echoes what was
accepted. Amounts are passed through in the API's own units (financial capacities are integer cents in the SDK).

Creating a budget has no SDK support (the official server has no such tool): the body is that of Teamwork's "Create
a budget - Standard/Fixed Fee" samples (`{"budget": {...}}`, dates as YYYYMMDD as the samples say, `projectRate` in
cents). Its answer is unverified, so the new budget is found by listing the project's budgets before and after.
Task-list budgets are read as the SDK does (tasklist_budget.go, `tasklistBudgets`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from projectops_mcp.errors import InputError, PrerequisiteError, UpstreamError
from projectops_mcp.models import IncludeRaw, Page, PageInput, RawRecord
from projectops_mcp.teamwork._common import check_people, fetch_v3_page
from projectops_mcp.teamwork.client import V3, TeamworkClient, rel_id, to_v1_date, v1_int
from projectops_mcp.teamwork.projects import fetch_project
from projectops_mcp.teamwork.rates import to_cents
from projectops_mcp.toolkit import InputModel, OutputModel, ToolContext, tool

BudgetStatus = Literal["ALL", "UPCOMING", "ACTIVE", "COMPLETED", "ARCHIVED", "DELETED", "INVALID"]
TimelogType = Literal["ALL", "BILLED", "UNBILLED", "BILLABLE", "NON-BILLABLE"]
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


# -- task-list budgets -----------------------------------------------------------------------------------------------


class TasklistBudget(OutputModel):
    tasklist_budget_id: int
    tasklist_id: int | None = None
    milestone_id: int | None = None
    project_id: int | None = None
    type: str | None = Field(None, description="FINANCIAL or TIME.")
    capacity: float | None = Field(None, description="API units (financial: cents).")
    capacity_used: float | None = None
    raw: RawRecord = None


def to_tasklist_budget(record: dict[str, Any], include_raw: bool = False) -> TasklistBudget:
    return TasklistBudget(
        tasklist_budget_id=record["id"],
        tasklist_id=rel_id(record.get("tasklist")),
        milestone_id=rel_id(record.get("milestone")),
        project_id=v1_int(record.get("projectId")),
        type=record.get("type"),
        capacity=record.get("capacity"),
        capacity_used=record.get("capacityUsed"),
        raw=record if include_raw else None,
    )


class ListTasklistBudgetsInput(PageInput):
    budget_id: int = Field(gt=0, description="project budget, from teamwork_list_project_budgets")
    include_raw: IncludeRaw = False


@tool(
    name="teamwork_list_tasklist_budgets",
    title="List Task List Budgets",
    toolset="teamwork.budgets",
    kind="read",
    lookup="teamwork_list_project_budgets",
    description="List the task-list budgets a project budget is split into.",
)
async def list_tasklist_budgets(
    args: ListTasklistBudgetsInput, tw: TeamworkClient, ctx: ToolContext
) -> Page[TasklistBudget]:
    path = f"/projects/budgets/{args.budget_id}/tasklists/budgets.json"
    return await fetch_v3_page(tw, path, "tasklistBudgets", None, args, to_tasklist_budget)


# -- creating a project budget ---------------------------------------------------------------------------------------


class CreateBudgetInput(InputModel):
    project_id: int = Field(gt=0, description="from teamwork_list_projects")
    type: Annotated[Literal["FINANCIAL", "TIME"], BeforeValidator(_upper)] = Field(description="money or time")
    capacity: int = Field(gt=0, le=10**12, description="the budget: financial in cents, time in minutes")
    start_date: date = Field(description="first day")
    end_date: date = Field(description="last day")
    category: Annotated[Literal["STANDARD", "FIXEDFEE"], BeforeValidator(_upper)] = Field(
        "STANDARD", description="FIXEDFEE: financial only"
    )
    timelog_type: Annotated[TimelogType | None, BeforeValidator(_upper)] = Field(None, description="time that counts")
    project_rate: float | None = Field(None, ge=0, le=10**7, description="hourly, in currency units")
    profit_margin: float | None = Field(None, ge=0, le=100, description="percent, fixed-fee budgets")
    notify_user_ids: list[int] | None = Field(
        None, min_length=1, max_length=100, description="from teamwork_list_people"
    )
    notify_at_percent: int = Field(80, ge=1, le=1000, description="of capacity used, for notify_user_ids")


def budget_body(args: CreateBudgetInput) -> dict[str, Any]:
    """The `budget` object of Teamwork's "Create a budget" samples, with only the given options."""
    if args.end_date < args.start_date:
        raise InputError("end_date", "is before start_date.")
    if args.category == "FIXEDFEE" and args.type != "FINANCIAL":
        raise InputError("category", "FIXEDFEE budgets are FINANCIAL.")
    if args.profit_margin is not None and args.category != "FIXEDFEE":
        raise InputError("profit_margin", "only for category FIXEDFEE.")
    body: dict[str, Any] = {
        "projectId": args.project_id,
        "type": args.type,
        "budgetCategory": args.category,
        "capacity": args.capacity,
        "startDateTime": to_v1_date(args.start_date),
        "endDateTime": to_v1_date(args.end_date),
        "isRepeating": False,
        "isRetainer": False,
    }
    if args.timelog_type is not None:
        body["timelogType"] = args.timelog_type
    if args.project_rate is not None:
        body["projectRate"] = to_cents(args.project_rate, "project_rate")
    if args.profit_margin is not None:
        body["budgetProfitMargin"] = int(args.profit_margin) if args.profit_margin.is_integer() else args.profit_margin
    if args.notify_user_ids:
        body["notifications"] = [
            {
                "notificationMedium": "EMAIL",
                "capacityThreshold": args.notify_at_percent,
                "userIds": list(dict.fromkeys(args.notify_user_ids)),
                "teamIds": [],
                "companyIds": [],
            }
        ]
    return body


async def project_budgets(tw: TeamworkClient, project_id: int) -> list[dict[str, Any]]:
    records, _, _, _ = await tw.v3_list(
        "/projects/budgets.json", "budgets", {"projectIds": [project_id], "status": "ALL"}, page=1, page_size=ALL_PAGES
    )
    return records


@tool(
    name="teamwork_create_project_budget",
    title="Create Project Budget",
    toolset="teamwork.budgets",
    kind="create",
    lookup="teamwork_list_project_budgets",
    description="Create a financial or time budget on a project.",
)
async def create_project_budget(args: CreateBudgetInput, tw: TeamworkClient, ctx: ToolContext) -> Budget:
    body = budget_body(args)
    await fetch_project(tw, args.project_id)
    await check_people(tw, args.notify_user_ids, "notify_user_ids")
    before = {b.get("id") for b in await project_budgets(tw, args.project_id)}
    data = await tw.post(f"{V3}/projects/budgets.json", {"budget": body})
    answered = data.get("budget") if isinstance(data.get("budget"), dict) else {}
    after = await project_budgets(tw, args.project_id)
    found = [b for b in after if b.get("id") == answered.get("id")] or [b for b in after if b.get("id") not in before]
    if len(found) != 1:
        raise UpstreamError(
            f"Teamwork accepted the budget but listing project {args.project_id}'s budgets does not show it; check "
            "with teamwork_list_project_budgets before trying again.",
            backend="Teamwork",
        )
    return to_budget(found[0])
