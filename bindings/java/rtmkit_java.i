/*
 * rtmkit — Java specifics of the SWIG interface: module io.rtmkit.internal.RtmNative (internal; the
 * public API is io.rtmkit.*). Compiled with -DSWIG_JAVA_ATTACH_CURRENT_THREAD_AS_DAEMON,
 * -DSWIG_JAVA_DETACH_ON_THREAD_END and -DSWIG_JAVA_USE_THREAD_NAME (see bindings/java/CMakeLists.txt).
 */
%module(directors="1") RtmNative

/* The native libraries are loaded (system library first, then the jar's resources) before any
 * native method runs, and the loaded library is checked against the headers. */
%pragma(java) jniclasscode=%{
  static {
    io.rtmkit.internal.Loader.load();
    int rc = check_compat();
    if (rc != 0)
      throw new UnsatisfiedLinkError("rtmkit: the native library does not fit this binding: " + Utf8.decode(rtm_last_error()));
  }
%}
%pragma(java) jniclassclassmodifiers="public final class"
%pragma(java) moduleclassmodifiers="public final class"

/* No finalizers: objects with native state are released explicitly (AutoCloseable) or by a
 * java.lang.ref.Cleaner in the idiomatic layer. */
%typemap(javafinalize) SWIGTYPE ""

/* ---- text: UTF-8 both ways ----------------------------------------------------------------------
 * JNI's own string functions use modified UTF-8 (surrogate pairs for characters outside the BMP, NUL
 * as two bytes). Strings therefore cross as byte[] holding real UTF-8, encoded and decoded in Java. */
%typemap(jni) const char *, char * "jbyteArray"
%typemap(jtype) const char *, char * "byte[]"
%typemap(jstype) const char *, char * "String"
%typemap(javain) const char *, char * "io.rtmkit.internal.Utf8.encode($javainput)"
%typemap(javaout) const char *, char * {
    return io.rtmkit.internal.Utf8.decode($jnicall);
  }
%typemap(in) const char *, char * {
  $1 = 0;
  if ($input) {
    $1 = ($1_ltype)JCALL2(GetByteArrayElements, jenv, $input, 0);
    if (!$1) return $null;
  }
}
%typemap(freearg) const char *, char * {
  if ($1) JCALL3(ReleaseByteArrayElements, jenv, $input, (jbyte *)$1, JNI_ABORT);
}
%typemap(out) const char *, char * {
  $result = 0;
  if ($1) {
    jsize n = (jsize)strlen((const char *)$1);
    $result = JCALL1(NewByteArray, jenv, n);
    if ($result) JCALL4(SetByteArrayRegion, jenv, $result, 0, n, (const jbyte *)$1);
  }
}
%typemap(directorin, descriptor="Ljava/lang/String;", noblock=1) const char *, char * {
  $input = 0;
  if ($1) {
    jsize n_$1 = (jsize)strlen((const char *)$1);
    $input = JCALL1(NewByteArray, jenv, n_$1);
    if ($input) JCALL4(SetByteArrayRegion, jenv, $input, 0, n_$1, (const jbyte *)$1);
  }
  Swig::LocalRefGuard $1_refguard(jenv, $input);
}
%typemap(javadirectorin) const char *, char * "io.rtmkit.internal.Utf8.decode($jniinput)"

/* ---- bytes ------------------------------------------------------------------------------------- */
%typemap(jni) const void *data, void *buf "jbyteArray"
%typemap(jtype) const void *data, void *buf "byte[]"
%typemap(jstype) const void *data, void *buf "byte[]"
%typemap(javain) const void *data, void *buf "$javainput"
%typemap(in) const void *data, void *buf {
  $1 = 0;
  if ($input) {
    $1 = ($1_ltype)JCALL2(GetByteArrayElements, jenv, $input, 0);
    if (!$1) return $null;
  }
}
%typemap(freearg) const void *data {
  if ($1) JCALL3(ReleaseByteArrayElements, jenv, $input, (jbyte *)$1, JNI_ABORT);
}
%typemap(freearg) void *buf {
  if ($1) JCALL3(ReleaseByteArrayElements, jenv, $input, (jbyte *)$1, 0);
}

/* ---- exceptions thrown by overrides of the listener -------------------------------------------
 * The idiomatic layer catches every Throwable of user code and reports it; a Java exception still
 * pending after an upcall (a failure of the binding itself) is printed and cleared here, so that it
 * never unwinds into the library's dispatcher. */
%feature("director:except") %{
  if (jenv->ExceptionCheck()) {
    jenv->ExceptionDescribe();
    jenv->ExceptionClear();
  }
%}

%include "rtmkit.i"
