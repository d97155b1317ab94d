Attribute VB_Name = "NhanDao"
'xl_nhandao - the "Nhan dao" ribbon tab (customUI.xml) calls NhanDaoClick for every
'button. The button's tag names the Python handler (xl_nhandao.addin.dispatch.TAGS), so
'a new button needs a line in the ribbon XML and a handler in Python, never a VBA change.
'
'RunPython comes from the xlwings module of this project (xlwings' open-source custom
'add-in module, pinned version, see macros/xlwings/VERSION); its settings are read from
'this add-in's sheet "xl_nhandao.conf", which "xl-nhandao addin install" writes.
'
'Messages are written with \uXXXX escapes: a VBA module is stored in the project's code
'page (Windows-1252), which has no Vietnamese letters; U() turns the escapes into text.
Option Explicit

Private Const TITLE As String = "Nh\u00E2n \u0111\u1EA1o"
Private Const MSG_NO_WORKBOOK As String = "Ch\u01B0a c\u00F3 s\u1ED5 Excel n\u00E0o \u0111ang m\u1EDF. H\u00E3y m\u1EDF s\u1ED5 c\u1EA7n l\u00E0m vi\u1EC7c r\u1ED3i b\u1EA5m l\u1EA1i n\u00FAt tr\u00EAn th\u1EBB Nh\u00E2n \u0111\u1EA1o."
Private Const MSG_NO_PYTHON As String = "Kh\u00F4ng t\u00ECm th\u1EA5y Python t\u1EA1i \u201C{path}\u201D. H\u00E3y m\u1EDF c\u1EEDa s\u1ED5 l\u1EC7nh v\u00E0 ch\u1EA1y l\u1EA1i: xl-nhandao addin install"
Private Const MSG_RUNNING As String = "Nh\u00E2n \u0111\u1EA1o: \u0111ang ch\u1EA1y\u2026"
Private Const MSG_FAILED As String = "B\u1ED5 tr\u1EE3 Nh\u00E2n \u0111\u1EA1o kh\u00F4ng g\u1ECDi \u0111\u01B0\u1EE3c Python (l\u1ED7i {n}). H\u00E3y ch\u1EA1y l\u1EA1i l\u1EC7nh xl-nhandao addin install; n\u1EBFu v\u1EABn l\u1ED7i, h\u00E3y b\u00E1o nh\u00F3m h\u1ED7 tr\u1EE3 k\u00E8m s\u1ED1 l\u1ED7i n\u00E0y."

Public Sub NhanDaoClick(control As IRibbonControl)
    'The one ribbon callback: run the Python dispatcher with the button's tag.
    Dim running As String
    On Error GoTo Failed
    If ActiveWorkbook Is Nothing Then
        MsgBox U(MSG_NO_WORKBOOK), vbExclamation, U(TITLE)
        Exit Sub
    End If
    If Not PythonFound() Then Exit Sub
    running = U(MSG_RUNNING)
    Application.StatusBar = running
    RunPython "import xl_nhandao.addin.dispatch as d; d.main('" & control.Tag & "')"
    If CStr(Application.StatusBar) = running Then Application.StatusBar = False
    Exit Sub
Failed:
    Application.StatusBar = False
    MsgBox Replace(U(MSG_FAILED), "{n}", CStr(Err.Number)), vbCritical, U(TITLE)
End Sub

Private Function PythonFound() As Boolean
    'xlwings says "Could not find Interpreter!" in English; say it in Vietnamese first.
    PythonFound = True
    #If Not Mac Then
        Dim interpreter As String
        interpreter = GetConfig("INTERPRETER_WIN", "")
        If interpreter = "" Or interpreter = "python" Or interpreter = "pythonw" Then Exit Function
        If Not FileExists(interpreter) Then
            PythonFound = False
            MsgBox Replace(U(MSG_NO_PYTHON), "{path}", interpreter), vbExclamation, U(TITLE)
        End If
    #End If
End Function

Private Function U(ByVal s As String) As String
    'Text with \uXXXX escapes (four hexadecimal digits) as Unicode text.
    Dim i As Long, out As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\u" And i + 5 <= Len(s) Then
            out = out & ChrW(CLng("&H" & Mid$(s, i + 2, 4)))
            i = i + 6
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    U = out
End Function
