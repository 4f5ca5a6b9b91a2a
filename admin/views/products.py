"""Product pages: the list with stock warnings, create, edit, and stock adjustments."""
from flask import abort, flash, redirect, render_template, request, url_for

from admin import bp
from admin.auth import shop
from admin.views.audit import current_actor
from models import limits
from models.admin_errors import InvalidStockChange, ProductMissing
from models.catalog import parse_product
from models.errors import ShopError
from services import admin_audit, admin_catalog


@bp.get("/products")
def products():
    """Every product with its stock; low ones are marked."""
    rt = shop()
    return render_template("admin/products/list.html", products=admin_catalog.list_all(rt.db),
                           threshold=rt.settings.low_stock_threshold)


@bp.route("/products/new", methods=("GET", "POST"))
def new_product():
    """The blank product form; on POST add the product with its opening stock."""
    db = shop().db
    if request.method == "GET":
        values = {"id": admin_catalog.next_id(db), "active": True, "stock": 0}
        return render_template("admin/products/edit.html", values=values, creating=True)
    try:
        product = parse_product(_form_fields(), base_url=shop().settings.public_base_url,
                                from_text=True)
        admin_catalog.create(db, product, current_actor())
    except ShopError as error:
        flash(error.message, "error")
        return render_template("admin/products/edit.html", values=_form_fields(),
                               creating=True), 400
    flash(f"已新增商品 #{product.id} {product.name}。", "success")
    return redirect(url_for("admin.product", product_id=product.id), 303)


@bp.get("/products/<int:product_id>")
def product(product_id: int):
    """One product, its stock history, its audit trail and the stock adjustment form.

    :raise 404: no such product.
    """
    found, adjustments = _get_or_404(product_id)
    return render_template("admin/products/detail.html", product=found, adjustments=adjustments,
                           history=admin_audit.history(shop().db, "product", product_id),
                           threshold=shop().settings.low_stock_threshold)


@bp.route("/products/<int:product_id>/edit", methods=("GET", "POST"))
def edit_product(product_id: int):
    """The product form; on POST save it (past orders keep their own copy of the lines).

    :raise 404: no such product.
    """
    found, _ = _get_or_404(product_id)
    if request.method == "GET":
        return render_template("admin/products/edit.html", values=found.__dict__, creating=False)
    try:
        admin_catalog.update(shop().db, parse_product(
            {**_form_fields(), "id": product_id, "stock": None},
            base_url=shop().settings.public_base_url, from_text=True), current_actor())
    except ShopError as error:
        flash(error.message, "error")
        return render_template("admin/products/edit.html",
                               values={**_form_fields(), "id": product_id}, creating=False), 400
    flash("已儲存商品資料。", "success")
    return redirect(url_for("admin.product", product_id=product_id), 303)


@bp.post("/products/<int:product_id>/stock")
def adjust_stock(product_id: int):
    """Add or remove units with a reason (logged in stock_adjustments).

    :raise 404: no such product.
    """
    _get_or_404(product_id)
    try:
        stock = admin_catalog.adjust_stock(shop().db, product_id,
                                           _whole(request.form.get("delta"), signed=True),
                                           request.form.get("reason", ""), current_actor())
    except ShopError as error:
        flash(error.message, "error")
    else:
        flash(f"庫存已調整，目前 {stock} 件。", "success")
    return redirect(url_for("admin.product", product_id=product_id), 303)


def _get_or_404(product_id: int):
    """:raise 404: no such product."""
    try:
        return admin_catalog.get(shop().db, product_id)
    except ProductMissing:
        abort(404)


def _form_fields() -> dict:
    fields = {name: request.form.get(name, "") for name in
              ("id", "name", "price", "description", "image_url", "stock")}
    fields["active"] = request.form.get("active") == "on"
    return fields


def _whole(raw: str | None, signed: bool) -> int:
    """:raise InvalidStockChange: not a whole number of at most 7 ASCII digits."""
    value = limits.whole((raw or "0").strip(), -limits.MAX_UNITS if signed else 0,
                         limits.MAX_UNITS, signed=signed)
    if value is None:
        raise InvalidStockChange()
    return value
