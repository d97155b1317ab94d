"""xl_nhandao: Mỗi tổ chức, mỗi cá nhân gắn với một địa chỉ nhân đạo — kiểm tra, tổng hợp, báo cáo."""

__version__ = "0.1.0"
