"""Placeholder product pictures the bot serves itself, for catalogs without photos."""
from flask import Blueprint, Response, abort, current_app

from services.pictures import product_placeholder

bp = Blueprint("product_images", __name__)


@bp.get("/static/products/<int:product_id>.png")
def product_image(product_id: int):
    """A generated PNG with the product's name.

    :raise 404: no such product, or a hidden one (its name stays private).
    """
    png = product_placeholder(current_app.extensions["runtime"].db, product_id)
    if png is None:
        abort(404)
    response = Response(png, mimetype="image/png")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response
