;;; emacs-check.el --- run by test/clients/emacs.test.ts  -*- lexical-binding: t; -*-

;; Loaded after eglot and clients/emacs/deepcodeseek.el in `emacs --batch'. Opens a business rule
;; in a copy of the demo workspace with Eglot, waits for the server and the index, asks for
;; workspace symbols and for completion after `new ', and writes what it saw as JSON to
;; $DCS_RESULT.

(require 'json)

(defvar dcs-report nil "Alist written to $DCS_RESULT.")
(defvar dcs-indexed nil)
(defvar dcs-logs nil)

(defun dcs-put (key value) (setf (alist-get key dcs-report) value))

;; Indexing is reported as work-done progress (to clients that support it, which Eglot 1.9 does
;; not), and logged once done: either tells us the index can answer.
(cl-defmethod eglot-handle-notification :before (_server (_method (eql $/progress)) &key _token value)
  (when (equal (plist-get value :kind) "end") (setq dcs-indexed t)))
;; The server logs through window/logMessage; a debug line proves our settings reached it.
(cl-defmethod eglot-handle-notification :before (_server (_method (eql window/logMessage)) &key _type message)
  (when (string-prefix-p "indexed " message) (setq dcs-indexed t))
  (push message dcs-logs))

(defun dcs-wait (what seconds predicate)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or (funcall predicate) (error "timed out waiting for %s" what))))

(defun dcs-run ()
  (dcs-put 'emacs emacs-version)
  (dcs-put 'eglot (locate-library "eglot"))
  (setq deepcodeseek-settings '(:log (:level "debug") :completion (:maxItems 60)))
  (deepcodeseek-eglot-setup (list (getenv "DCS_NODE") (expand-file-name "bin/deepcodeseek.js" (getenv "DCS_REPO")) "serve" "--stdio"))
  (find-file (getenv "DCS_FILE"))
  (dcs-put 'mode (symbol-name major-mode))
  ;; What `M-x eglot' would do, without its prompts: the mode, project and command it guesses.
  (apply #'eglot (eglot--guess-contact))
  (dcs-wait "the server" 20 (lambda () (and (eglot-current-server) eglot--managed-mode)))
  (let ((server (eglot-current-server)))
    (dcs-put 'attached t)
    (dcs-put 'root (project-root (eglot--project server)))
    (dcs-wait "indexing" 20 (lambda () dcs-indexed))
    (dcs-put 'symbols (vconcat (mapcar (lambda (s) (plist-get s :name))
                                       (jsonrpc-request server :workspace/symbol '(:query "IncidentUtils")))))
    (dcs-put 'completionProvider (if (eglot--server-capable :completionProvider) t :json-false))
    (when (eglot--server-capable :completionProvider)
      ;; Cut the line after `new ' as a developer would type it: the class name is what is predicted.
      (goto-char (point-min))
      (search-forward "new IncidentUtils(")
      (goto-char (+ (match-beginning 0) (length "new ")))
      (delete-region (point) (line-end-position))
      (eglot--signal-textDocument/didChange)
      (let* ((result (jsonrpc-request server :textDocument/completion (eglot--TextDocumentPositionParams)))
             (items (if (vectorp result) result (plist-get result :items))))
        (dcs-put 'completion (vconcat (mapcar (lambda (i) (plist-get i :label)) items)))
        (dcs-put 'sortText (vconcat (mapcar (lambda (i) (or (plist-get i :sortText) (plist-get i :label))) items))))
      ;; Table names inside `new GlideRecord(''.
      (goto-char (point-max))
      (insert "\nvar t = new GlideRecord('")
      (eglot--signal-textDocument/didChange)
      (let* ((result (jsonrpc-request server :textDocument/completion (eglot--TextDocumentPositionParams)))
             (items (if (vectorp result) result (plist-get result :items))))
        (dcs-put 'tables (vconcat (mapcar (lambda (i) (plist-get i :label)) items))))
      ;; Explain right after typing `new ', the edit not yet sent: the command sends it first.
      (insert "\nvar x = new ")
      (deepcodeseek-explain)
      (with-current-buffer "*deepcodeseek explain*"
        (dcs-put 'explain (vconcat (split-string (buffer-string) "\n")))
        (dcs-put 'explainFiletype (symbol-name major-mode))))
    ;; A ServiceNow XML record in nxml-mode: served like a .js file, inside its script's CDATA.
    (find-file (getenv "DCS_XML"))
    (dcs-put 'xmlMode (symbol-name major-mode))
    (dcs-put 'xmlIsRecord (if (deepcodeseek--servicenow-xml-p) t :json-false))
    (setq dcs-indexed nil)
    (unless (eglot-current-server) (apply #'eglot (eglot--guess-contact)))
    (dcs-wait "the server for XML" 20 (lambda () (and (eglot-current-server) eglot--managed-mode)))
    (let ((xserver (eglot-current-server)))
      (unless (eq xserver server) (dcs-wait "indexing for XML" 20 (lambda () dcs-indexed)))
      (goto-char (point-min))
      (search-forward "new GlideAjax('")
      (delete-region (point) (line-end-position))
      (eglot--signal-textDocument/didChange)
      (let* ((result (jsonrpc-request xserver :textDocument/completion (eglot--TextDocumentPositionParams)))
             (items (if (vectorp result) result (plist-get result :items))))
        (dcs-put 'xml (vconcat (mapcar (lambda (i) (plist-get i :label)) items))))
      (unless (eq xserver server) (ignore-errors (eglot-shutdown xserver))))
    (ignore-errors (eglot-shutdown server))))

(condition-case err
    (dcs-run)
  (error (dcs-put 'error (error-message-string err))))
(dcs-put 'logs (vconcat (reverse dcs-logs)))
(with-temp-file (getenv "DCS_RESULT") (insert (json-encode dcs-report)))
(kill-emacs 0)
;;; emacs-check.el ends here
