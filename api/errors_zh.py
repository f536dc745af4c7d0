"""A Chinese message for every error the API answers with (the page shows it; programs keep ``message``).

Known messages of the library are matched by pattern and keep the value they name; anything else gets
the Chinese sentence for its error type or HTTP status. No message names a command to type: the web
page's reader is not at a terminal.

>>> to_zh(404, "NotFoundError", "No document 'X1'. `policykg documents` (or GET /documents) lists them.")
'找不到文件“X1”。请在“文件”列表中查看已导入的文件。'
>>> to_zh(500, "SomethingNew", "boom")
'服务器内部错误，请稍后重试或联系管理员。'
"""

from __future__ import annotations

import re

from policykg.labels import TABLES

_NAMES = {"start date": "开始日期", "end date": "结束日期", "document type": "文件类型", "entity type": "实体类型",
          "role": "角色", "sort order": "排序方式", "task role": "任务角色", "export format": "导出格式",
          "table format": "表格格式", "search mode": "检索方式"}

_TABLE_OF = {"document type": "kind", "entity type": "entity_type", "role": "role", "sort order": "sort",
             "task role": "task_role"}

# (pattern, Chinese template with {1}, {2}... for the groups)
_PATTERNS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.S), t) for p, t in [
    (r"^No entity named '(.+?)' and no measure contains it", "没有名为“{1}”的实体，也没有措施含有这段文字。请在搜索框中输入名称的一部分查找。"),
    (r"^Unexpected server error \(id (\w+)\)", "服务器内部错误（编号 {1}）。请把这个编号告诉管理员。"),
    (r"^No entity named '(.+?)' in the index", "索引中没有名为“{1}”的实体。请在搜索框中输入名称的一部分查找。"),
    (r"^No entity '(.+?)'", "找不到实体“{1}”。请在搜索框中按名称查找。"),
    (r"^No organisation named '(.+?)'", "没有名为“{1}”的单位。请检查名称，或输入名称的一部分查找。"),
    (r"^No document '(.+?)'", "找不到文件“{1}”。请在“文件”列表中查看已导入的文件。"),
    (r"^Document (.+?) has no measure with ordinal (\d+)", "文件 {1} 中没有第 {2} 条措施。"),
    (r"^Document (.+?) has no measure (\d+)", "文件 {1} 中没有编号为 {2} 的措施。"),
    (r"^No such path (\S+?)\.?(?:\s|$)", "地址 {1} 不存在。请从首页进入，或查看接口文档。"),
    (r"^Method (\S+) is not allowed on (\S+)", "地址 {2} 不支持 {1} 请求。"),
    (r"^Invalid request parameters\. (.*)$", "请求参数有误：{1}"),
    (r"^Cannot read the (start date|end date) '(.+?)'", "无法识别{N1}“{2}”：请填写年份、年月或日期，例如 2019、2019-06 或 2019-06-30。"),
    (r"^Unknown (document type|entity type|role|sort order|task role|export format|table format|search mode) "
     r"'(.+?)'\. Choose from (.+?)\.?$", "未知的{N1}“{2}”，可选：{3}。"),
    (r"^Cannot read due date '(.+?)'", "无法识别完成时限“{1}”：请填写如 2022、2022-12-31 或 2022年底。"),
    (r"^k must be", "结果条数须在 1 到 100 之间。"),
    (r"^offset must be", "起始位置不能为负数。"),
    (r"^limit must be", "每页条数至少为 1。"),
    (r"^depth must be", "邻域层数只能是 1 或 2。"),
    (r"^Give the name of an organisation", "请输入机构、地区、产业或项目的名称。"),
    (r"^The index is not loaded yet", "索引尚未加载（服务正在启动或停止），请稍后重试。"),
    (r"^The graph is empty", "图谱为空：尚未导入任何文件。"),
    (r"^SPARQL syntax error", "SPARQL 查询有语法错误。"),
    (r"^The SPARQL endpoint is read-only", "SPARQL 接口只读：不接受更新请求。"),
    (r"^Empty SPARQL query|^Missing SPARQL query", "缺少 SPARQL 查询语句。"),
]]

_BY_TYPE = {
    "NotFoundError": "找不到请求的内容。", "NotFound": "找不到请求的内容。",
    "BadInputError": "请求有误，请检查输入。", "BadRequest": "请求有误，请检查输入。",
    "ValidationError": "请求参数有误。", "QueryRefusedError": "该查询不被允许。",
    "QueryTimeoutError": "查询超时，请缩小查询范围后重试。", "ServiceUnavailableError": "服务暂时不可用，请稍后重试。",
    "ServerBusyError": "服务器繁忙，请稍后重试。", "EndpointBusyError": "查询服务繁忙，请稍后重试。",
    "IndexCorruptError": "索引已损坏，需要管理员重新导入文件。", "MissingDependencyError": "服务器缺少所需的组件，请联系管理员。",
    "MethodNotAllowed": "不支持该请求方法。", "PayloadTooLarge": "请求内容过大。",
    "UnsupportedMediaType": "不支持该请求内容类型。", "UnsupportedMediaError": "不支持该请求内容类型。",
}
_BY_STATUS = {400: "请求有误，请检查输入。", 404: "找不到请求的内容。", 405: "不支持该请求方法。", 413: "请求内容过大。",
              415: "不支持该请求内容类型。", 422: "请求参数有误。", 429: "请求过于频繁，请稍后重试。",
              503: "服务暂时不可用，请稍后重试。"}


def to_zh(status: int, type_: str, message: str) -> str:
    """The Chinese message for an error (status, type name, English message)."""
    for pattern, template in _PATTERNS:
        m = pattern.search(message or "")
        if m:
            out = template
            if "{3}" in out:  # the choices: their Chinese names beside the values to give
                names = TABLES.get(_TABLE_OF.get(m.group(1), ""), {})
                choices = [c.strip().strip("'") for c in m.group(3).split(",")]
                out = out.replace("{3}", "、".join(f"{names[c]}（{c}）" if c in names else c for c in choices))
            for i, g in enumerate(m.groups(), 1):
                out = out.replace(f"{{N{i}}}", _NAMES.get(g, g)).replace(f"{{{i}}}", g or "")
            return out
    if type_ in _BY_TYPE:
        return _BY_TYPE[type_]
    if status >= 500:
        return "服务器内部错误，请稍后重试或联系管理员。" if status != 503 else _BY_STATUS[503]
    return _BY_STATUS.get(status, "请求未能完成。")
