;;; deepcodeseek.el --- ServiceNow Script Include suggestions through Eglot  -*- lexical-binding: t; -*-

;; Author: The DeepCodeSeek authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; Registers the DeepCodeSeek language server with Eglot for JavaScript buffers, so that
;; completion, hover, signature help and go to definition know the ServiceNow Script Includes of
;; the workspace.
;;
;;   (require 'deepcodeseek)
;;   (deepcodeseek-eglot-setup)            ; or (deepcodeseek-eglot-setup '("node" "/path/bin/deepcodeseek.js" "serve" "--stdio"))
;;   (add-hook 'js-mode-hook #'deepcodeseek-ensure)
;;   (add-hook 'nxml-mode-hook #'deepcodeseek-ensure)   ; ServiceNow XML records only
;;
;; Settings go to the server as the `deepcodeseek' section of `eglot-workspace-configuration';
;; set `deepcodeseek-settings' (a plist, e.g. '(:completion (:maxItems 20))) before the setup,
;; or per project in .dir-locals.el.

;;; Code:

(require 'eglot)
(require 'project)
(require 'cl-lib)

(defgroup deepcodeseek nil
  "ServiceNow Script Include suggestions from the DeepCodeSeek language server."
  :group 'tools
  :prefix "deepcodeseek-")

(defcustom deepcodeseek-server-command '("deepcodeseek" "serve" "--stdio")
  "Command line that starts the DeepCodeSeek language server over stdio."
  :type '(repeat string))
;; A project's .dir-locals.el must never choose the program Emacs runs.
(put 'deepcodeseek-server-command 'risky-local-variable t)

(defcustom deepcodeseek-settings nil
  "The `deepcodeseek' settings section sent to the server, as a nested plist.
Keys follow the server's schema: for example
  (:completion (:maxItems 20) :log (:level \"debug\"))
Use :json-false for false."
  :type 'plist
  :safe #'deepcodeseek--safe-settings-p)

(defconst deepcodeseek--path-settings
  '((:rerank :model) (:rerank :tokenizer) (:rerank :useWorkspaceModel)
    (:embedder :model) (:index :cacheDir) (:index :allowOutside))
  "Settings that name files the server loads or writes: never from a project's .dir-locals.el.")

(defun deepcodeseek--safe-settings-p (value)
  "Whether VALUE may come from .dir-locals.el: a plist without model, tokenizer or cache paths."
  (and (listp value)
       (cl-notany (lambda (key-path)
                    (plist-member (plist-get value (car key-path)) (cadr key-path)))
                  deepcodeseek--path-settings)))

(defcustom deepcodeseek-root-markers '(".deepcodeseek" "now.config.json")
  "Files or folders marking a DeepCodeSeek workspace root outside version control."
  :type '(repeat string))

(defun deepcodeseek--modes ()
  "The major modes to serve: JavaScript (`js2-mode' when installed) and `nxml-mode'.
In XML, `deepcodeseek-ensure' starts Eglot only for ServiceNow records."
  (append '(js-mode js-ts-mode)
          (when (or (fboundp 'js2-mode) (locate-library "js2-mode")) '(js2-mode))
          '(nxml-mode)))

(defun deepcodeseek--servicenow-xml-p ()
  "Whether the buffer holds ServiceNow records (`<record_update>', `<unload>', an update set)."
  (save-excursion
    (goto-char (point-min))
    (re-search-forward "<\\(record_update\\|unload\\|sys_update_xml\\)\\b" (min (point-max) 8000) t)))

;;;###autoload
(defun deepcodeseek-ensure ()
  "Start Eglot in this buffer: JavaScript, or XML holding ServiceNow records.
For hooks: (add-hook \='js-mode-hook #\='deepcodeseek-ensure)
           (add-hook \='nxml-mode-hook #\='deepcodeseek-ensure)"
  (when (or (not (derived-mode-p 'nxml-mode)) (deepcodeseek--servicenow-xml-p))
    (eglot-ensure)))

(defun deepcodeseek-project-find (dir)
  "A project for DIR rooted at its nearest folder with a root marker.
The markers are `deepcodeseek-root-markers'.  This runs after the
version-control backends, so a Git checkout stays the root."
  (let ((root (cl-some (lambda (marker) (locate-dominating-file dir marker))
                       deepcodeseek-root-markers)))
    (when root (cons 'deepcodeseek (expand-file-name root)))))

(cl-defmethod project-root ((project (head deepcodeseek)))
  (cdr project))

(defun deepcodeseek--merge-settings (configuration)
  "CONFIGURATION (a plist of sections) with the `deepcodeseek' section set."
  (plist-put (copy-sequence configuration) :deepcodeseek deepcodeseek-settings))

;;;###autoload
(defun deepcodeseek-eglot-setup (&optional command)
  "Register the DeepCodeSeek server with Eglot for the JavaScript modes.
COMMAND, a list of strings, overrides `deepcodeseek-server-command'."
  (when command (setq deepcodeseek-server-command command))
  (let ((modes (deepcodeseek--modes)))
    ;; Drop an earlier entry of ours, then put the server first: Eglot takes the first match,
    ;; and its default for js-mode is another server.
    (setq eglot-server-programs
          (cons (cons modes deepcodeseek-server-command)
                (cl-remove-if (lambda (entry) (equal (car entry) modes)) eglot-server-programs))))
  (add-hook 'project-find-functions #'deepcodeseek-project-find 90)
  ;; A function value is the user's own; leave it alone and let them add the section.
  (unless (functionp (default-value 'eglot-workspace-configuration))
    (setq-default eglot-workspace-configuration
                  (deepcodeseek--merge-settings (default-value 'eglot-workspace-configuration)))))

;;;###autoload
(defun deepcodeseek-explain ()
  "Show the server's explanation of the suggestions at point, as markdown.
It is rendered the way Eglot renders hover documentation: with
`gfm-view-mode' when markdown-mode is installed, as plain text otherwise."
  (interactive)
  ;; Edits not yet sent would make the server explain an older text: send them first.
  (when (fboundp 'eglot--signal-textDocument/didChange)
    (eglot--signal-textDocument/didChange))
  (let* ((server (eglot--current-server-or-lose))
         (result (jsonrpc-request server :workspace/executeCommand
                                  `(:command "deepcodeseek.explain"
                                    :arguments [,(eglot--TextDocumentPositionParams)])))
         (markdown (cond ((stringp result) result)
                         ((plist-get result :markdown))
                         (t (json-encode result)))))
    (with-current-buffer (get-buffer-create "*deepcodeseek explain*")
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (if (fboundp 'eglot--format-markup)
                    (eglot--format-markup (list :kind "markdown" :value markdown))
                  markdown)))
      (goto-char (point-min))
      (special-mode)
      (display-buffer (current-buffer)))))

(provide 'deepcodeseek)
;;; deepcodeseek.el ends here
