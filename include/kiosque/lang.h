/* lang.h: a small stopword-based language guess for undeclared sources. */
#ifndef KIOSQUE_LANG_H
#define KIOSQUE_LANG_H

#include <glib.h>

#include "kiosque/article.h"

G_BEGIN_DECLS

/*
 * Guesses the language of text among fr, en, de, es, pt (at least).
 * declared: the source's own claim (BCP 47) or NULL. The declared language
 * is kept unless the text clearly contradicts it. Returns a static string
 * ("fr") or the declared pointer itself, or NULL when there is no
 * declaration and no clear guess.
 */
const char *kq_lang_guess(const char *text, gssize len, const char *declared);

/* Sets article->lang from its title and body through kq_lang_guess(). */
void kq_lang_fix_article(KqArticle *article);

G_END_DECLS

#endif
