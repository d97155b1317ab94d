"""“The run failed”: a small exception hierarchy, apart from “the data has problems”.

A :class:`RunError` carries a stable code and parameters; the CLI prints its one-line
message (Vietnamese, or English with ``--lang en``) and exits with code 2. It never
carries a traceback to the clerk.
"""

from __future__ import annotations

import re

from .i18n import Lang, render

_MESSAGES: dict[str, tuple[str, str]] = {
    "file-not-found": (
        "Không tìm thấy tệp “{path}”. Kiểm tra lại tên và thư mục.",
        "File “{path}” not found. Check the name and folder.",
    ),
    "not-a-file": (
        "“{path}” là thư mục, không phải tệp Excel.",
        "“{path}” is a folder, not an Excel file.",
    ),
    "not-regular": (
        "“{path}” không phải tệp thông thường (có thể là ống dẫn hay thiết bị) nên không đọc. Hãy chép sổ ra một tệp .xlsx rồi chạy lại.",
        "“{path}” is not a regular file (perhaps a pipe or a device), so it is not read. Copy the workbook to an .xlsx file and run again.",
    ),
    "not-a-workbook": (
        "“{path}” không phải tệp Excel .xlsx (không đọc được). Hãy mở bằng Excel và Lưu thành “Sổ làm việc Excel (.xlsx)”.",
        "“{path}” is not an .xlsx workbook. Open it in Excel and save it as “Excel Workbook (.xlsx)”.",
    ),
    "encrypted": (
        "“{path}” đang đặt mật khẩu nên không đọc được. Mở bằng Excel, gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu: xóa trống) rồi lưu lại.",
        "“{path}” is password-protected and cannot be read. Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password: clear it) and save.",
    ),
    "xls-unsupported": (
        "“{path}” là tệp Excel 97–2003 (.xls). Hãy mở bằng Excel và Lưu thành “Sổ làm việc Excel (.xlsx)” rồi chạy lại.",
        "“{path}” is an Excel 97–2003 file (.xls). Open it in Excel, save it as “Excel Workbook (.xlsx)” and run again.",
    ),
    "format-unsupported": (
        "“{path}” có định dạng {kind}, chưa được hỗ trợ. Hãy lưu thành .xlsx.",
        "“{path}” is {kind_en} file, which is not supported. Save it as .xlsx.",
    ),
    "duplicate-sheet": (
        "“{path}” có hai trang cùng tên “{sheet}” nên không đọc chắc được trang nào (tệp bị hỏng). Hãy mở bằng Excel, đổi tên một trang cho khác rồi lưu lại.",
        "“{path}” has two sheets named “{sheet}”, so which one is meant cannot be told (the file is damaged). Open it in Excel, rename one of them and save.",
    ),
    "corrupt": (
        "“{path}” bị hỏng, không đọc được ({detail}). Hãy xin đơn vị gửi lại tệp.",
        "“{path}” is damaged and cannot be read ({detail}). Ask the unit to send it again.",
    ),
    "zip-bomb": (
        "“{path}” khi giải nén lớn bất thường ({size} MB); tệp có thể bị hỏng hoặc độc hại nên không đọc.",
        "“{path}” unpacks to an abnormal size ({size} MB); it may be damaged or malicious and is not read.",
    ),
    "too-many-rows": (
        "Trang “{sheet}” của “{path}” có dữ liệu đến dòng {rows} (ô {cell}), vượt giới hạn {limit} dòng. Hãy xóa các dòng thừa ở cuối trang (Ctrl+End để tìm) rồi lưu lại.",
        "Sheet “{sheet}” of “{path}” has data down to row {rows} (cell {cell}), over the {limit}-row limit. Delete the stray rows at the end (Ctrl+End finds them) and save.",
    ),
    "stray-cells": (
        "Trang “{sheet}” của “{path}” có ô {cell} nằm quá xa vùng dữ liệu: đọc cả vùng A1:{corner} cần hơn {limit} ô. Hãy xóa các ô thừa (Ctrl+End để tìm) rồi lưu lại.",
        "Sheet “{sheet}” of “{path}” has a cell at {cell}, far from the data: reading A1:{corner} takes over {limit} cells. Delete the stray cells (Ctrl+End finds them) and save.",
    ),
    "book-too-large": (
        "Các trang của “{path}” cộng lại cần đọc {cells} ô (mỗi trang tính từ A1 đến ô có dữ liệu xa nhất), vượt giới hạn {limit}; lớn nhất là trang “{sheet}” (A1:{corner}). Hãy xóa các ô thừa (Ctrl+End để tìm) rồi lưu lại.",
        "The sheets of “{path}” add up to {cells} cells to read (each from A1 to its farthest value), over the {limit} limit; the largest is “{sheet}” (A1:{corner}). Delete the stray cells (Ctrl+End finds them) and save.",
    ),
    "date-impossible": (
        "Ô {cell} trang “{sheet}” của “{path}” định dạng ngày/giờ nhưng chứa số {value}, không ứng với ngày nào, nên không đọc được trang này. Hãy sửa ô đó (hoặc đổi định dạng ô sang Số) rồi lưu lại.",
        "Cell {cell} of sheet “{sheet}” in “{path}” is formatted as a date or time but holds {value}, which is no date, so the sheet cannot be read. Correct that cell (or format it as Number) and save.",
    ),
    "sheet-unreadable": (
        "Không đọc được trang “{sheet}” của “{path}” ({detail}); thường do một ô định dạng ngày/giờ chứa số quá lớn hoặc quá nhỏ. Hãy tìm và sửa ô đó (hoặc đổi định dạng sang Số) rồi lưu lại.",
        "Sheet “{sheet}” of “{path}” cannot be read ({detail}); usually a date- or time-formatted cell holds a number far too large or small. Find and correct that cell (or format it as Number) and save.",
    ),
    "annotate-too-large": (
        "“{path}” có {cells} ô, quá lớn để tạo bản đánh dấu (tối đa {limit} ô). Hãy chạy lại không có --annotate và sửa theo danh sách lỗi, hoặc tách sổ thành các tệp nhỏ hơn.",
        "“{path}” has {cells} cells, too many for an annotated copy (at most {limit}). Run again without --annotate and fix the listed issues, or split the workbook.",
    ),
    "annotate-unreadable": (
        "Không tạo được bản đánh dấu của “{path}”: tệp có phần không đúng chuẩn ({detail}). Kết quả kiểm tra không bị ảnh hưởng: hãy chạy lại không có --annotate, hoặc mở tệp bằng Excel, lưu lại rồi đánh dấu.",
        "Cannot write the annotated copy of “{path}”: part of the file is not well-formed ({detail}). The check itself is not affected: run again without --annotate, or open the file in Excel, save it and annotate again.",
    ),
    "not-standard": (
        "“{path}” không phải sổ theo mẫu chuẩn XLND-1 (không có trang ThongTin, DiaChi, DangKy, TroGiup hay SoLieu). Tạo sổ mẫu bằng: xl-nhandao new-workbook --unit MÃ_ĐƠN_VỊ -o so.xlsx",
        "“{path}” is not an XLND-1 standard workbook (no ThongTin, DiaChi, DangKy, TroGiup or SoLieu sheet). Create one with: xl-nhandao new-workbook --unit CODE -o book.xlsx",
    ),
    "output-is-input": (
        "Tệp kết quả “{path}” trùng tệp đầu vào; hãy chọn tên khác (tệp gốc không bao giờ bị ghi đè).",
        "Output “{path}” is the input file; choose another name (inputs are never overwritten).",
    ),
    "output-unwritable": (
        "Không ghi được “{path}” ({detail}). Nếu tệp đang mở trong Excel, hãy đóng lại; kiểm tra quyền ghi thư mục.",
        "Cannot write “{path}” ({detail_en}). If it is open in Excel, close it; check the folder's permissions.",
    ),
    "output-exists": (
        "Tệp “{path}” đã có và không phải kết quả chưa sửa của lệnh này, nên không ghi đè. Hãy chọn tên khác, hoặc thêm --force nếu chắc chắn muốn thay tệp đó.",
        "“{path}” already exists and is not an unedited output of this command, so it is not overwritten. Choose another name, or add --force if you are sure it may be replaced.",
    ),
    "output-folder-missing": (
        "Thư mục “{folder}” chưa có nên không ghi được “{path}”. Hãy tạo thư mục đó trước, hoặc chọn thư mục khác.",
        "Folder “{folder}” does not exist, so “{path}” cannot be written. Create the folder first, or choose another.",
    ),
    "output-suffix": (
        "Tệp kết quả “{path}” phải có đuôi {suffix}.",
        "Output “{path}” must end in {suffix}.",
    ),
    "unit-unknown": (
        "Mã đơn vị “{code}” không có trong danh mục hệ {scheme} (tỉnh 2 số, huyện 3 số, xã 5 số).",
        "Unit code “{code}” is not in the {scheme} code list (province 2 digits, district 3, commune 5).",
    ),
    "district-in-2025": (
        "Hệ 2025 không còn cấp huyện; dùng mã tỉnh (2 số) hoặc mã xã (5 số), hoặc thêm --scheme 2004.",
        "The 2025 scheme has no districts; use a province (2 digits) or commune (5 digits) code, or --scheme 2004.",
    ),
    "period-invalid": (
        "Kỳ báo cáo “{value}” không hợp lệ; ghi dạng 2024, 2024-H1 hoặc 2024-Q1 … 2024-Q4.",
        "Period “{value}” is not valid; write 2024, 2024-H1 or 2024-Q1 … 2024-Q4.",
    ),
    "bad-argument": (
        "Tham số không hợp lệ: {detail}. Xem hướng dẫn: {help}",
        "Invalid arguments: {detail_en}. See: {help}",
    ),
    "no-submissions": (
        "Không có bản nộp nào dùng được để tổng hợp trong {count} tệp; ví dụ: {example}",
        "No usable submission among the {count} {count:file|files} read; for example: {example_en}",
    ),
    "no-period": (
        "Không bản nộp nào trong {count} tệp ghi Kỳ báo cáo (trang ThongTin), ví dụ “{file}”, nên không biết tổng hợp kỳ nào. Hãy ghi Kỳ báo cáo vào sổ, hoặc thêm --period (ví dụ --period 2024-H1).",
        "None of the {count} files states its reporting period (Kỳ báo cáo in ThongTin), for example “{file}”, so the period to consolidate is unknown. Fill it in, or add --period (e.g. --period 2024-H1).",
    ),
    "no-inputs": (
        "Không có sổ Excel nào (.xlsx, .xlsm, .xls, .ods) trong {paths}. Hãy chỉ đến tệp hay thư mục chứa sổ "
        "các đơn vị gửi lên.",
        "No Excel workbook (.xlsx, .xlsm, .xls, .ods) in {paths}. Name the files or folders holding the "
        "units' workbooks.",
    ),
    "demo-folder-foreign": (
        "Thư mục “{path}” đã có tệp “{file}” không phải do lệnh demo ghi, nên demo không ghi vào đó. Demo chỉ ghi vào thư mục mới, thư mục trống hoặc thư mục của lần chạy demo trước; hãy chọn thư mục khác (-o).",
        "Folder “{path}” holds “{file}”, which the demo did not write, so the demo does not write there. The demo writes only into a new or empty folder or an earlier demo's folder; choose another folder (-o).",
    ),
    "demo-file-changed": (
        "Tệp “{file}” trong thư mục “{path}” đã được sửa sau khi demo ghi ra, nên demo không ghi đè. Hãy chọn thư mục khác (-o), hoặc chép tệp đã sửa ra chỗ khác rồi xóa thư mục.",
        "“{file}” in folder “{path}” was changed after the demo wrote it, so the demo does not overwrite it. Choose another folder (-o), or copy the changed file elsewhere and delete the folder.",
    ),
    "output-not-folder": (
        "“{path}” là một tệp, không phải thư mục; hãy chọn một thư mục (-o).",
        "“{path}” is a file, not a folder; choose a folder (-o).",
    ),
    "review-not-review": (
        "“{path}” không phải tệp rà soát trùng lặp do lệnh overlap ghi (không có trang TrungLap hay SuKienTrung với cột Quyết định và cột Khóa). Hãy chỉ --decisions đến tệp rà soát mà xl-nhandao overlap đã ghi (-o) và cán bộ đã điền cột Quyết định.",
        "“{path}” is not an overlap review written by the overlap command (no TrungLap or SuKienTrung sheet with a Quyết định and a Khóa column). Give --decisions the review file xl-nhandao overlap wrote (-o), with its Quyết định column filled in.",
    ),
    "review-key-missing": (
        "Trang “{sheet}” của “{path}” không còn cột Khóa (cột ẩn cuối bảng), nên không biết mỗi quyết định thuộc cặp nào. Hãy chép lại cột Khóa từ tệp rà soát gốc (không sửa nội dung cột) hoặc điền quyết định vào một bản rà soát mới, rồi chạy lại.",
        "Sheet “{sheet}” of “{path}” no longer has its Khóa column (the last, hidden one), so which pair each decision belongs to is unknown. Copy the Khóa column back from the original review (unchanged), or fill in the decisions in a new review, and run again.",
    ),
    "review-decision-missing": (
        "Trang “{sheet}” của “{path}” không có cột Quyết định, nên không đọc được quyết định nào. Hãy đặt lại tiêu đề “Quyết định” cho cột ấy (hoặc chép cột từ tệp rà soát gốc) rồi chạy lại.",
        "Sheet “{sheet}” of “{path}” has no Quyết định (decision) column, so no decision can be read. Give that column its header “Quyết định” again (or copy it from the original review) and run again.",
    ),
    "list-sheet-unknown": (
        "“{path}” không có trang “{sheet}”. Các trang có trong tệp: {sheets}.",
        "“{path}” has no sheet “{sheet}”. Its sheets: {sheets}.",
    ),
    "list-no-name-column": (
        "Không tìm thấy cột họ tên trong “{path}” (trang đã xem: {sheets}). Hãy chỉ rõ cột bằng --map, ví dụ --map \"ho_ten=Tên chủ hộ,cccd=Số ĐDCN\".",
        "No name column found in “{path}” (sheets looked at: {sheets}). Name the columns with --map, e.g. --map \"ho_ten=Tên chủ hộ,cccd=Số ĐDCN\".",
    ),
    "map-invalid": (
        "--map “{value}” không đúng dạng; ghi trường=Tiêu đề cột, cách nhau bằng dấu phẩy, ví dụ --map \"ho_ten=Tên chủ hộ,cccd=Số ĐDCN\".",
        "--map “{value}” is not well-formed; write field=Column header, separated by commas, e.g. --map \"ho_ten=Tên chủ hộ,cccd=Số ĐDCN\".",
    ),
    "map-key-unknown": (
        "--map: không có trường “{key}”. Các trường: {keys}.",
        "--map: there is no field “{key}”. The fields: {keys}.",
    ),
    "map-header-missing": (
        "--map {key}=“{header}”: không thấy cột tiêu đề “{header}” trong “{path}” (trang đã xem: {sheets}). Kiểm tra lại chữ trong ô tiêu đề.",
        "--map {key}=“{header}”: no column headed “{header}” in “{path}” (sheets looked at: {sheets}). Check the header cell's text.",
    ),
    "keep-unknown": (
        "--keep “{column}”: “{path}” không có cột này (trang “{sheet}”). Ghi đúng tiêu đề cột, hoặc tên trường như thon, ma_ho.",
        "--keep “{column}”: “{path}” has no such column (sheet “{sheet}”). Give the column's header, or a field name such as thon, ma_ho.",
    ),
    "keep-identity": (
        "--keep “{column}”: không được giữ nguyên cột họ tên hay số định danh; danh sách băm chỉ ghi chúng dưới dạng mã băm.",
        "--keep “{column}”: the name and identity-number columns cannot be kept in clear; a hashed list holds them only as hashes.",
    ),
    "csv-unreadable": (
        "Không đọc được tệp csv “{path}” ({detail}). Hãy mở bằng Excel và lưu lại dạng .xlsx hoặc “CSV UTF-8”.",
        "Cannot read the csv file “{path}” ({detail}). Open it in Excel and save it as .xlsx or “CSV UTF-8”.",
    ),
    "list-too-long": (
        "Danh sách “{path}” dài hơn {limit} dòng. Hãy tách thành nhiều tệp (ví dụ theo tỉnh) rồi đưa từng tệp với --against.",
        "The list “{path}” is longer than {limit} rows. Split it into several files (by province, say) and give each with --against.",
    ),
    "salt-missing": (
        "Không tìm thấy tệp khóa “{path}”. Tạo một tệp khóa dùng chung (một dòng ngẫu nhiên dài, giữ bí mật), ví dụ: python -c \"import secrets; print(secrets.token_hex(32))\" > khoa.txt",
        "Key file “{path}” not found. Make a shared key file (one long random line, kept secret), e.g.: python -c \"import secrets; print(secrets.token_hex(32))\" > key.txt",
    ),
    "salt-too-short": (
        "Tệp khóa “{path}” chỉ có {size} byte; khóa cần ít nhất {minimum} byte để không đoán được. Tạo khóa mới (một dòng ngẫu nhiên dài), ví dụ: python -c \"import secrets; print(secrets.token_hex(32))\" > khoa.txt",
        "Key file “{path}” has only {size} {size:byte|bytes}; a key needs at least {minimum} bytes so it cannot be guessed. Make a new one (one long random line), e.g.: python -c \"import secrets; print(secrets.token_hex(32))\" > key.txt",
    ),
    "salt-too-large": (
        "Tệp khóa “{path}” lớn bất thường ({size} byte); có thể đã chọn nhầm tệp. Tệp khóa là một dòng ngẫu nhiên dài.",
        "Key file “{path}” is unusually large ({size} bytes); perhaps the wrong file was given. A key file is one long random line.",
    ),
    "hashed-needs-secret": (
        "“{path}” là danh sách đã băm (hash-list): cần --salt-file với đúng tệp khóa đã dùng khi băm.",
        "“{path}” is a hashed list (hash-list): give --salt-file with the key file it was hashed with.",
    ),
    "hashed-damaged": (
        "“{path}” ghi là danh sách đã băm nhưng thiếu {what}; có thể tệp đã bị sửa. Hãy xin đơn vị gửi lại tệp kết quả hash-list.",
        "“{path}” says it is a hashed list but lacks {what_en}; it may have been edited. Ask for the hash-list output again.",
    ),
    "hash-list-already-hashed": (
        "“{path}” đã là danh sách băm (do hash-list ghi); gửi thẳng tệp này cho bên so khớp, không cần băm lại.",
        "“{path}” is already a hashed list (written by hash-list); send this file as it is to the side that matches, no need to hash it again.",
    ),
    # -- amounts in words, official dates (report/words.py) --
    "amount-invalid": (
        "“{value}” không phải số tiền. Hãy ghi số đồng, ví dụ 1500000, 1.500.000, 1.500.000đ hoặc 1,5 triệu.",
        "“{value}” is not an amount. Write a number of đồng, e.g. 1500000, 1.500.000, 1.500.000đ or 1,5 triệu.",
    ),
    "amount-ambiguous": (
        "“{value}” không rõ là bao nhiêu đồng: đồng không có phần lẻ, nên không biết dấu chấm hay phẩy ở đây là phần thập phân hay dấu phân cách nghìn. Hãy ghi đủ chữ số (1.500.000) hoặc kèm đơn vị (1,5 triệu).",
        "“{value}” is ambiguous: the đồng has no fraction, so the point or comma may be a decimal mark or a thousands separator. Write every digit (1.500.000) or add the unit (1,5 triệu).",
    ),
    "words-negative": (
        "Số {value} âm; chỉ đọc thành chữ được số từ 0 trở lên.",
        "{value} is negative; only numbers from 0 up are written in words.",
    ),
    "words-too-large": (
        "Số {value} quá lớn để đọc thành chữ (tối đa {limit}).",
        "{value} is too large to write in words (at most {limit}).",
    ),
    "words-fraction": (
        "Số {value} có phần lẻ; chỉ đọc thành chữ được số nguyên (đồng không có phần lẻ). Hãy làm tròn trước.",
        "{value} has a fraction; only whole numbers are written in words (the đồng has no fraction). Round it first.",
    ),
    "words-empty": (
        "Không có số để đọc thành chữ (giá trị trống).",
        "There is no number to write in words (the value is empty).",
    ),
    "words-not-number": (
        "“{value}” không phải là số nên không đọc thành chữ được.",
        "“{value}” is not a number, so it cannot be written in words.",
    ),
    "words-style-unknown": (
        "Kiểu đọc “{style}” không có; chọn bac (một trăm linh năm) hoặc nam (một trăm lẻ năm).",
        "Reading style “{style}” is unknown; choose bac (một trăm linh năm) or nam (một trăm lẻ năm).",
    ),
    "official-date-invalid": (
        "“{value}” không phải là ngày nên không ghi được ngày văn bản. Hãy ghi ngày trước tháng sau, ví dụ 05/02/2026.",
        "“{value}” is not a date, so the document's date cannot be written. Write the day first, e.g. 05/02/2026.",
    ),
    "place-missing": (
        "Thiếu địa danh cho dòng “Địa danh, ngày … tháng … năm …” của văn bản (ví dụ Khánh Hòa).",
        "The place name of the document's “Place, ngày … tháng … năm …” line is missing (e.g. Khánh Hòa).",
    ),
    "template-name-unknown": (
        "Không có mẫu báo cáo tên “{name}”. Các mẫu có sẵn: {names}; hoặc chỉ đường dẫn một tệp mẫu .xlsx/.docx.",
        "There is no report template named “{name}”. The shipped ones: {names}; or give the path of a .xlsx/.docx template.",
    ),
    "template-unreadable": (
        "Không đọc được mẫu báo cáo “{path}” ({detail}). Hãy mở mẫu bằng Excel, lưu lại dạng “Sổ làm việc Excel (.xlsx)” rồi chạy lại.",
        "Cannot read the report template “{path}” ({detail}). Open it in Excel, save it as “Excel Workbook (.xlsx)” and run again.",
    ),
    "template-unknown": (
        "Mẫu báo cáo “{path}” có {count} chỗ điền không dùng được: {problems}. Hãy sửa trong Excel rồi chạy lại (xl-nhandao templates liệt kê các trường và bộ lọc).",
        "The report template “{path}” has {count} {count:placeholder|placeholders} that cannot be filled: {problems}. Correct them in Excel and run again (xl-nhandao templates lists the fields and filters).",
    ),
    "template-unreadable-docx": (
        "Không đọc được mẫu báo cáo “{path}” ({detail}). Hãy mở mẫu bằng Word, lưu lại dạng “Tài liệu Word (.docx)” rồi chạy lại.",
        "Cannot read the report template “{path}” ({detail}). Open it in Word, save it as “Word Document (.docx)” and run again.",
    ),
    "template-unknown-docx": (
        "Mẫu báo cáo “{path}” có {count} chỗ điền không dùng được: {problems}. Hãy sửa trong Word rồi chạy lại (xl-nhandao templates liệt kê các trường và bộ lọc).",
        "The report template “{path}” has {count} {count:placeholder|placeholders} that cannot be filled: {problems}. Correct them in Word and run again (xl-nhandao templates lists the fields and filters).",
    ),
    "report-nothing-counted": (
        "Không lập được báo cáo kỳ {period} từ “{path}”: không bản nộp nào được tính ({reason}). Nếu tệp tổng hợp "
        "thuộc kỳ khác, hãy bỏ --period hoặc tổng hợp lại kỳ {period} rồi lập báo cáo.",
        "No report for period {period} from “{path}”: no submission in it is counted ({reason_en}). If the "
        "consolidation is of another period, drop --period, or consolidate period {period} first.",
    ),
    "template-filter-failed": (
        "Mẫu báo cáo “{path}” dùng bộ lọc không hợp với giá trị ở {count} chỗ: {problems}. Hãy đổi bộ lọc hoặc trường trong mẫu.",
        "The report template “{path}” applies a filter to a value it does not fit in {count} {count:place|places}: {problems}. Change the filter or the field in the template.",
    ),
    "template-too-long": (
        "Báo cáo điền từ mẫu “{path}” cần {rows} dòng ở trang “{sheet}”, vượt giới hạn {limit} dòng của Excel. Hãy lập báo cáo cho kỳ ngắn hơn hoặc từng đơn vị.",
        "The report filled from “{path}” needs {rows} rows on sheet “{sheet}”, over Excel's {limit}-row limit. Report on a shorter period or unit by unit.",
    ),
    # -- the Excel add-in (addin build|install|uninstall) --
    "addin-platform": (
        "Bổ trợ Excel chỉ cài được trên Windows hoặc macOS, nơi có Excel; máy này chạy {system}. Hãy chạy lệnh này trên máy của cán bộ dùng Excel.",
        "The Excel add-in installs only on Windows or macOS, where Excel runs; this machine runs {system}. Run this command on the computer where Excel is used.",
    ),
    "addin-xlwings-missing": (
        "Chưa cài xlwings {needed}, phần giúp Excel gọi Python. Hãy chạy: pip install \"xl_nhandao[excel]\" rồi cài lại bổ trợ.",
        "xlwings {needed}, which lets Excel call Python, is not installed. Run: pip install \"xl_nhandao[excel]\" and install the add-in again.",
    ),
    "addin-xlwings-version": (
        "Bổ trợ cần xlwings {needed} nhưng máy đang cài xlwings {found}. Hãy chạy: pip install \"xlwings=={needed}\" rồi cài lại bổ trợ.",
        "The add-in needs xlwings {needed} but xlwings {found} is installed. Run: pip install \"xlwings=={needed}\" and install the add-in again.",
    ),
    "addin-foreign": (
        "“{path}” đã có nhưng không phải bổ trợ Nhân đạo, nên không ghi đè hay xóa. Hãy đổi tên hoặc chuyển tệp đó đi rồi chạy lại.",
        "“{path}” exists but is not the Nhân đạo add-in, so it is neither overwritten nor removed. Rename or move that file and run again.",
    ),
    "addin-sources": (
        "Thiếu hoặc hỏng tệp nguồn của bổ trợ ({detail}). Hãy cài lại gói: pip install --force-reinstall \"xl_nhandao[excel]\".",
        "A source file of the add-in is missing or damaged ({detail_en}). Reinstall the package: pip install --force-reinstall \"xl_nhandao[excel]\".",
    ),
    # the Excel add-in's buttons (xl_nhandao/addin)
    "addin-no-workbook": (
        "Chưa có sổ nào đang mở: hãy mở sổ cần làm rồi bấm lại nút “{button}”.",
        "No workbook is open: open the workbook to work on and click “{button}” again.",
    ),
    "addin-not-saved": (
        "Sổ “{book}” chưa được lưu thành tệp mà nút “{button}” làm việc trên tệp: hãy lưu sổ (Ctrl+S) rồi bấm lại.",
        "“{book}” has not been saved as a file, and “{button}” works on the file: save it (Ctrl+S) and click again.",
    ),
    "addin-unknown-button": (
        "Nút “{tag}” không có trong xl_nhandao {version} đang cài; hãy cài lại bổ trợ cho khớp (xl-nhandao addin install).",
        "Button “{tag}” is unknown to the installed xl_nhandao {version}; reinstall the add-in to match (xl-nhandao addin install).",
    ),
    "addin-failed": (
        "Không làm xong “{button}” vì một lỗi không lường trước; chi tiết (không có dữ liệu cá nhân) đã ghi vào {log}, hãy gửi tệp đó cho người hỗ trợ.",
        "“{button}” could not finish because of an unexpected error; the details (no personal data) are in {log}, send that file to whoever supports you.",
    ),
    "addin-no-register": (
        "Không tìm thấy trang DiaChi có cột “Mã địa chỉ” và “Mã xã” trong sổ “{book}” nên không cấp mã được; hãy dùng sổ theo mẫu chuẩn XLND-1.",
        "No DiaChi sheet with “Mã địa chỉ” and “Mã xã” columns in “{book}”, so no code can be given; use an XLND-1 standard workbook.",
    ),
    "addin-write-refused": (
        "Excel không cho ghi vào trang “{sheet}” (trang đang được bảo vệ, hoặc sổ chỉ mở để đọc): hãy bỏ bảo vệ trang (Xem lại › Bỏ bảo vệ trang) rồi bấm lại.",
        "Excel refuses to write to sheet “{sheet}” (it is protected, or the workbook is read-only): unprotect it (Review › Unprotect Sheet) and click again.",
    ),
    "addin-book-protected": (
        "Sổ “{book}” đang được bảo vệ cấu trúc nên không thêm hay xóa được trang: hãy bỏ bảo vệ sổ (Xem lại › Bảo vệ sổ làm việc) rồi bấm lại.",
        "The structure of “{book}” is protected, so no sheet can be added or removed: unprotect it (Review › Protect Workbook) and click again.",
    ),
    "addin-dialogs-platform": (
        "Hộp chọn tệp và thư mục chỉ có trong Excel trên Windows hoặc macOS.",
        "File and folder dialogs exist only in Excel on Windows or macOS.",
    ),
    # what the ribbon says instead of a message that names command-line options (addin/dispatch.py)
    "addin-list-no-name-column": (
        "Danh sách “{path}” không có cột họ tên mà chương trình nhận ra (trang đã xem: {sheets}). Hãy đặt tiêu đề cho cột họ tên là “Họ và tên” (hoặc “Họ và tên chủ hộ”), lưu lại rồi bấm lại nút “{button}”.",
        "The list “{path}” has no name column the program recognises (sheets looked at: {sheets}). Give the name column the heading “Họ và tên” (or “Họ và tên chủ hộ”), save it and click “{button}” again.",
    ),
    "addin-hashed-needs-secret": (
        "“{path}” là danh sách đã băm: chỉ so được khi có tệp khóa đã dùng lúc băm, mà nút “{button}” không dùng tệp khóa. Hãy bấm lại nút mà không chọn danh sách này; để so nó, dùng lệnh xl-nhandao overlap với --salt-file trên máy có tệp khóa.",
        "“{path}” is a hashed list: it can be compared only with the key file it was hashed with, and “{button}” uses no key file. Click the button again without choosing this list; to compare it, use the command xl-nhandao overlap with --salt-file on the computer that has the key file.",
    ),
    "internal": (
        "Lỗi nội bộ ({detail}). Dữ liệu của bạn không bị thay đổi. Hãy gửi lệnh đã chạy (không kèm tệp dữ liệu) cho nhóm phát triển.",
        "Internal error ({detail}). Your data was not changed. Please report the command you ran (without the data file).",
    ),
}


class RunError(Exception):
    """The command could not run (exit code 2). ``RunError(code, **params)`` gives an
    instance of the subclass the code belongs to, so callers may catch :class:`InputError`
    (a file to read), :class:`OutputError` (a file to write) or :class:`UsageError` (an
    argument) — or any of them as :class:`RunError`."""

    def __new__(cls, code: str, /, **params: object) -> RunError:
        if code not in _MESSAGES:
            raise KeyError(code)
        if cls is RunError:
            cls = _KIND.get(code, RunError)
        return super().__new__(cls)

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def __reduce__(self):  # pickling keeps the code and parameters
        return (_rebuild, (self.code, self.params))

    def message(self, lang: Lang = "vi") -> str:
        """The one-line message; file names and details are shown with control
        characters escaped, so a name holding a line break stays on one line."""
        vi, en = _MESSAGES[self.code]
        params = {k: printable(v) if isinstance(v, str) else v for k, v in self.params.items()}
        if self.code == "bad-argument":
            params = _bad_argument(params)
        return render(vi if lang == "vi" else en, params, lang)


class InputError(RunError):
    """An input file cannot be used: missing, unreadable, damaged, not a standard workbook."""


class OutputError(RunError):
    """An output file cannot be written where asked."""


class UsageError(RunError):
    """An argument is wrong: a unit code, a period, an option."""


def _bad_argument(params: dict[str, object]) -> dict[str, object]:
    """``detail`` (and ``detail_en``, else the same) without a final period (the message
    adds one); ``help``: the command's help, ``xl-nhandao [COMMAND] --help``."""
    detail = str(params.get("detail") or "").strip().rstrip(".")
    detail_en = str(params.get("detail_en") or detail).strip().rstrip(".")
    command = str(params.get("command") or "").strip()
    return {**params, "detail": detail, "detail_en": detail_en,
            "help": " ".join(p for p in ("xl-nhandao", command, "--help") if p)}


#: Characters that would break a line, move the cursor or fail to print: C0 and C1 controls,
#: line and paragraph separators, and lone surrogates (undecodable bytes of a file name).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with each unprintable character written as an escape (``\\n``,
    ``\\x01``, ``\\udcff``): one line, always encodable."""
    def escape(m: re.Match[str]) -> str:
        ch = m.group(0)
        return _ESCAPES.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")

    return _UNPRINTABLE.sub(escape, text)


def _rebuild(code: str, params: dict[str, object]) -> RunError:
    return RunError(code, **params)


_KIND: dict[str, type[RunError]] = {
    **dict.fromkeys(("file-not-found", "not-a-file", "not-regular", "not-a-workbook", "encrypted",
                     "xls-unsupported", "format-unsupported", "corrupt", "duplicate-sheet", "zip-bomb", "too-many-rows",
                     "stray-cells", "book-too-large", "date-impossible", "sheet-unreadable", "annotate-unreadable", "annotate-too-large",
                     "not-standard", "no-submissions", "no-period", "no-inputs", "review-not-review", "template-name-unknown",
                     "review-key-missing", "review-decision-missing", "list-no-name-column",
                     "csv-unreadable", "list-too-long", "salt-missing", "salt-too-short", "salt-too-large",
                     "hashed-damaged", "hash-list-already-hashed", "template-unreadable", "template-unknown",
                     "template-unreadable-docx", "template-unknown-docx",
                     "template-filter-failed", "report-nothing-counted", "addin-sources"), InputError),
    **dict.fromkeys(("output-is-input", "output-unwritable", "output-suffix", "output-exists",
                     "output-folder-missing", "output-not-folder", "demo-folder-foreign", "demo-file-changed",
                     "template-too-long", "addin-foreign"),
                    OutputError),
    **dict.fromkeys(("addin-no-workbook", "addin-not-saved", "addin-unknown-button", "addin-dialogs-platform"),
                    UsageError),
    **dict.fromkeys(("addin-no-register",), InputError),
    **dict.fromkeys(("addin-write-refused", "addin-book-protected"), OutputError),
    **dict.fromkeys(("unit-unknown", "district-in-2025", "period-invalid", "bad-argument", "list-sheet-unknown",
                     "map-invalid", "map-key-unknown", "map-header-missing", "keep-unknown", "keep-identity",
                     "hashed-needs-secret", "addin-platform", "addin-xlwings-missing", "addin-xlwings-version"),
                    UsageError),
    # amounts in words, official dates (report/words.py): an argument or a template's value
    **dict.fromkeys(("amount-invalid", "amount-ambiguous", "words-negative", "words-too-large", "words-fraction",
                     "words-empty", "words-not-number", "words-style-unknown", "official-date-invalid", "place-missing"),
                    UsageError),
}
