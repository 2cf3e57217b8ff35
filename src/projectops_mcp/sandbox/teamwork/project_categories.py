"""Project categories: v3 list/get (`projectCategories` / `projectCategory`, `parent` relationship, project
`count`), v1 create/update/delete with the SDK's `{"category": {"name", "color", "parent-id"}}` body; create answers
201 `{"categoryId": "<string id>"}`, update and delete 200 `{"STATUS": "OK"}` (SDK project_category.go).

Deleting a category is not documented beyond its status; here its projects lose the category and its child
categories move to the top level (an assumption the adapter does not depend on)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from projectops_mcp.sandbox.simulator import Simulator, Store, json_response
from projectops_mcp.sandbox.teamwork._common import Invalid, as_int, v1_body, v1_error, v1_ok, v3_not_found, v3_page

CATEGORY_KEYS = frozenset({"name", "color", "parent-id"})
CATEGORIES = [
    {"id": 9101, "name": "Client work", "color": "#3498DB", "parentId": None},
    {"id": 9102, "name": "Fintech", "color": "#27AE60", "parentId": 9101},
    {"id": 9103, "name": "Internal", "color": "#7F8C8D", "parentId": None},
]


def seed(store: Store) -> None:
    for category in CATEGORIES:
        store.put("project_categories", category["id"], copy.deepcopy(category))


def live_category(store: Store, category_id: int | None) -> dict | None:
    category = store.table("project_categories").get(category_id) if category_id else None
    return category if category and not category.get("deleted") else None


def v3_category(store: Store, c: dict) -> dict:
    count = sum(1 for p in store.table("projects").values() if p.get("categoryId") == c["id"])
    parent = {"id": c["parentId"], "type": "projectCategories"} if c.get("parentId") else None
    return {"id": c["id"], "name": c["name"], "color": c["color"], "parent": parent, "count": count}


def apply_category(store: Store, category: dict, body: dict[str, Any]) -> None:
    if "name" in body:
        if not str(body["name"] or "").strip():
            raise Invalid("name cannot be empty")
        category["name"] = str(body["name"])
    if "color" in body:
        category["color"] = str(body["color"] or "")
    if "parent-id" in body:
        parent_id = as_int(body["parent-id"], "parent-id")
        if parent_id and live_category(store, parent_id) is None:
            raise Invalid(f"parent-id: category {parent_id} does not exist")
        if parent_id and parent_id == category.get("id"):
            raise Invalid("parent-id: a category cannot be its own parent")
        category["parentId"] = parent_id or None


def routes(sim: Simulator) -> list[Route]:
    store = sim.store

    async def list_categories(request: Request) -> Response:
        rows = [c for c in store.table("project_categories").values() if not c.get("deleted")]
        if term := request.query_params.get("searchTerm"):
            rows = [c for c in rows if term.lower() in c["name"].lower()]
        return v3_page(request, "projectCategories", [v3_category(store, c) for c in rows])

    async def get_category(request: Request) -> Response:
        category = live_category(store, request.path_params["category_id"])
        if category is None:
            return v3_not_found()
        return json_response({"projectCategory": v3_category(store, category), "included": {}})

    async def create_category(request: Request) -> Response:
        try:
            body = await v1_body(request, "category", CATEGORY_KEYS)
            if not str(body.get("name") or "").strip():
                raise Invalid("name is required")
            category = {"id": store.new_id("project_categories", 9200), "name": "", "color": "", "parentId": None}
            apply_category(store, category, body)
        except Invalid as exc:
            return exc.response
        store.put("project_categories", category["id"], category)
        return json_response({"STATUS": "OK", "categoryId": str(category["id"])}, status=201)

    async def update_category(request: Request) -> Response:
        category = live_category(store, request.path_params["category_id"])
        if category is None:
            return v1_error(404, "Category not found")
        try:
            body = await v1_body(request, "category", CATEGORY_KEYS)
            updated = copy.deepcopy(category)
            apply_category(store, updated, body)
        except Invalid as exc:
            return exc.response
        category.update(updated)
        return v1_ok()

    async def delete_category(request: Request) -> Response:
        category = live_category(store, request.path_params["category_id"])
        if category is None:
            return v1_error(404, "Category not found")
        category["deleted"] = True
        for project in store.table("projects").values():
            if project.get("categoryId") == category["id"]:
                project["categoryId"] = None
        for child in store.table("project_categories").values():
            if child.get("parentId") == category["id"]:
                child["parentId"] = None
        return v1_ok()

    return [
        Route("/projects/api/v3/projectcategories.json", list_categories, methods=["GET"]),
        Route("/projects/api/v3/projectcategories/{category_id:int}.json", get_category, methods=["GET"]),
        Route("/projectcategories.json", create_category, methods=["POST"]),
        Route("/projectcategories/{category_id:int}.json", update_category, methods=["PUT"]),
        Route("/projectcategories/{category_id:int}.json", delete_category, methods=["DELETE"]),
    ]
