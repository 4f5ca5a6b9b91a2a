"""The shipping list as CSV for a courier or a spreadsheet: a pure function over order rows."""
import csv
import io

from models.order import TAIPEI

HEADER = ("訂單編號", "下單時間", "狀態", "收件人", "電話", "地址", "品項", "金額", "付款方式")
STATUS_NAMES = {"pending": "待付款", "paid": "已付款", "shipped": "已出貨", "expired": "已逾期",
                "cancelled": "已取消"}
PAID_BY = {"A": "ATM", "C": "信用卡"}
# A spreadsheet runs a cell beginning with one of these as a formula (CSV injection, OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """Prefix `'` to a text cell a spreadsheet would read as a formula; other cells unchanged."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def items_text(items: list[dict]) -> str:
    """Order lines as `名稱 ×2; 名稱 ×1`."""
    return "; ".join(f"{item['name']} ×{item['quantity']}" for item in items)


def shipping_csv(rows: list[dict]) -> str:
    """The CSV text, starting with a BOM so Excel reads it as UTF-8.

    Each row has id, created_at (aware), status, recipient_name/phone/address, total,
    paid_by ('A', 'C' or None) and items ([{name, quantity}]).
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in (
            row["id"],
            row["created_at"].astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M"),
            STATUS_NAMES.get(row["status"], row["status"]),
            row["recipient_name"] or "",
            row["recipient_phone"] or "",
            row["recipient_address"] or "",
            items_text(row["items"]),
            row["total"],
            PAID_BY.get(row["paid_by"], "—"),
        )])
    return out.getvalue()
