"""JSON errors with stable codes: every failure is `{"error": {"code": ..., "message": ...}}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.service.context import Moved, NotFound

STATUS_CODES = {
    307: "moved",
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "request_too_large",
    422: "invalid_parameters",
    429: "too_many_requests",
    500: "internal_error",
    503: "overloaded",
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    detail: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def documented_errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses a route can return."""
    return {status: {"model": ErrorBody, "description": STATUS_CODES[status]} for status in statuses}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str, detail: object = None) -> JSONResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse({"error": body}, status_code=status)


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not an API client, whatever it accepts)."""
    return (not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


# A browser's error page: (request, status, title, message) → the page. The web UI's, passed in
# by the server (storyline.server): the API does not import the web pages.
ErrorPage = Callable[[Request, int, str, str], Response]


def install_error_handlers(app: FastAPI, error_page: ErrorPage) -> None:
    """JSON errors for the API; pages (outside /api) answer a browser's 404 with `error_page`."""
    @app.exception_handler(ApiError)
    async def api_error(_: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        if not request.url.path.startswith("/api"):
            return error_page(request, 404, "Not found", str(error))
        return error_response(404, "not_found", str(error))

    @app.exception_handler(Moved)
    async def moved(request: Request, error: Moved) -> Response:
        # The same address with the event's new id: its page, its API answer or its download.
        path = "/".join(quote(error.new_id if part == error.old_id else part, safe="")
                        for part in request.url.path.split("/"))
        response = error_response(307, "moved", str(error))
        response.headers["Location"] = f"{path}?{request.url.query}" if request.url.query else path
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = [
            {"loc": [str(part) for part in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in error.errors()
        ]
        return error_response(422, "invalid_parameters", "invalid request parameters", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404 and wants_html(request):
            return error_page(request, 404, "Not found", "There is no page at this address.")
        code = STATUS_CODES.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail))
