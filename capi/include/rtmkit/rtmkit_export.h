/*
 * rtmkit — export, calling-convention and deprecation macros of the C API.
 *
 *   RTM_API            marks every exported function. With RTM_STATIC defined it expands to nothing;
 *                      on Windows it is __declspec(dllexport) while building the library (RTM_BUILDING)
 *                      and __declspec(dllimport) otherwise; on GCC/Clang it sets default visibility.
 *   RTM_CALL           the calling convention of every exported function (__cdecl on Windows).
 *   RTM_CALLBACK(name) declares a function-pointer type with the same convention: (RTM_CALL *name).
 *   RTM_DEPRECATED(m)  marks a declaration deprecated. Define RTM_NO_DEPRECATED to hide deprecated
 *                      declarations entirely.
 */
#ifndef RTMKIT_EXPORT_H
#define RTMKIT_EXPORT_H

#if defined(RTM_STATIC)
#  define RTM_API
#elif defined(_WIN32) || defined(__CYGWIN__)
#  if defined(RTM_BUILDING)
#    define RTM_API __declspec(dllexport)
#  else
#    define RTM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define RTM_API __attribute__((visibility("default")))
#else
#  define RTM_API
#endif

#if defined(_WIN32)
#  define RTM_CALL __cdecl
#else
#  define RTM_CALL
#endif

#define RTM_CALLBACK(name) (RTM_CALL *name)

#if defined(__GNUC__) || defined(__clang__)
#  define RTM_DEPRECATED(msg) __attribute__((deprecated(msg)))
#elif defined(_MSC_VER)
#  define RTM_DEPRECATED(msg) __declspec(deprecated(msg))
#else
#  define RTM_DEPRECATED(msg)
#endif

#ifdef __cplusplus
#  define RTM_BEGIN_DECLS extern "C" {
#  define RTM_END_DECLS }
#else
#  define RTM_BEGIN_DECLS
#  define RTM_END_DECLS
#endif

#endif /* RTMKIT_EXPORT_H */
