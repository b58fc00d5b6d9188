/*
 * rtmkit — C# specifics of the SWIG interface: RtmKit.Native.RtmNative (internal; the public API is
 * namespace RtmKit). The wrapper library is librtmkit_csharp.so (DllImport "rtmkit_csharp"), which
 * links librtmkit.so through the RPATH $ORIGIN.
 */
%module(directors="1") RtmNative

/* Every generated class is internal to the assembly: the idiomatic classes are the API. */
%typemap(csclassmodifiers) SWIGTYPE, SWIGTYPE *, SWIGTYPE &, SWIGTYPE [] "internal class"
%pragma(csharp) moduleclassmodifiers="internal class"
%pragma(csharp) imclassclassmodifiers="internal class"
%typemap(csclassmodifiers) enum SWIGTYPE "internal enum"

/* No finalizers: the listener and the builders are disposed of explicitly by the idiomatic layer
 * (a finalizer of the listener could run while the library still calls it). */
%typemap(csdispose) SWIGTYPE %{
  public void Dispose() {
    Dispose(true);
    global::System.GC.SuppressFinalize(this);
  }
%}

/* ---- bytes: byte[] is pinned by the marshaller for the duration of the call --------------------- */
%typemap(ctype) const void *data, void *buf "void *"
%typemap(imtype) const void *data "byte[]"
%typemap(imtype, inattributes="[global::System.Runtime.InteropServices.In, global::System.Runtime.InteropServices.Out]") void *buf "byte[]"
%typemap(cstype) const void *data, void *buf "byte[]"
%typemap(csin) const void *data, void *buf "$csinput"
%typemap(in) const void *data, void *buf %{ $1 = ($1_ltype)$input; %}

%include "rtmkit.i"
