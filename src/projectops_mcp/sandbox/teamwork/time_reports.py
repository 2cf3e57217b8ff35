"""Time report (v3 `GET /projects/api/v3/time/report/{type}.json`): logged time totalled per user, project,
company, task list, task or team over a required date range, in minutes, as `{"time": {"<rows>": [...]}}`."""

from __future__ import annotations

from collections import defaultdict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, json_response
from projectops_mcp.sandbox.teamwork._common import ids_param, v3_error, v3_not_found

ROWS = {"user": "users", "project": "projects", "company": "companies", "tasklist": "tasklists", "task": "tasks",
        "team": "teams"}  # fmt: skip


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    def subjects(log: dict, kind: str) -> list[int]:
        task = store.table("tasks").get(log.get("taskId") or 0) or {}
        project = store.table("projects").get(log["projectId"]) or {}
        if kind == "user":
            return [log["userId"]]
        if kind == "project":
            return [log["projectId"]]
        if kind == "company":
            return [project.get("companyId") or 1]
        if kind in ("task", "tasklist"):
            value = task.get("id" if kind == "task" else "tasklistId")
            return [value] if value else []
        return [t["id"] for t in store.table("teams").values() if log["userId"] in t.get("memberIds", [])]

    async def report(request: Request) -> Response:
        kind = request.path_params["kind"]
        if kind not in ROWS:
            return v3_not_found()
        q = request.query_params
        start, end = q.get("startDate", ""), q.get("endDate", "")
        if len(start) != 10 or len(end) != 10:
            return v3_error(400, "startDate and endDate are required (YYYY-MM-DD)")
        logs = [t for t in store.table("timelogs").values() if not t.get("deleted")]
        logs = [t for t in logs if start <= t["timeLogged"][:10] <= end]
        if ids := ids_param(request, "projectIds"):
            logs = [t for t in logs if t["projectId"] in ids]
        if ids := ids_param(request, "userIds"):
            logs = [t for t in logs if t["userId"] in ids]
        totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for log in logs:
            for subject in subjects(log, kind):
                row = totals[subject]
                row["loggedTime"] += log["minutes"]
                row["billableTime" if log.get("billable") else "nonBillableTime"] += log["minutes"]
        rows = [
            {kind: {"id": subject, "type": ROWS[kind]}, "loggedTime": row["loggedTime"], "billedTime": 0,
             "billableTime": row["billableTime"], "nonBillableTime": row["nonBillableTime"], "estimatedTime": 0}
            for subject, row in sorted(totals.items())
        ]  # fmt: skip
        page, size = int(q.get("page", "1")), int(q.get("pageSize", "50"))
        chunk = rows[(page - 1) * size : page * size]
        meta = {
            "page": {"pageOffset": page - 1, "pageSize": size, "count": len(rows), "hasMore": page * size < len(rows)}
        }
        return json_response({"time": {ROWS[kind]: chunk}, "meta": meta, "included": {}})

    return [Route("/projects/api/v3/time/report/{kind}.json", report, methods=["GET"])]
