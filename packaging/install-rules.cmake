# Install rules of librtmkit (included from capi/CMakeLists.txt): the shared library, the public
# headers, a CMake package (find_package(rtmkit) -> rtmkit::rtmkit) and a pkg-config file (rtmkit.pc).
# Components: rtmkit_Runtime (the .so.N) and rtmkit_Development (headers, namelink, package files).
if(CMAKE_SKIP_INSTALL_RULES)
  return()
endif()

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(rtmkit_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/rtmkit"
    CACHE STRING "Where rtmkitConfig.cmake is installed, relative to the prefix")
mark_as_advanced(rtmkit_INSTALL_CMAKEDIR)

install(TARGETS rtmkit EXPORT rtmkitTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT rtmkit_Runtime
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT rtmkit_Runtime NAMELINK_COMPONENT rtmkit_Development
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT rtmkit_Development
  PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/rtmkit COMPONENT rtmkit_Development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

install(EXPORT rtmkitTargets
  NAMESPACE rtmkit::
  DESTINATION ${rtmkit_INSTALL_CMAKEDIR}
  COMPONENT rtmkit_Development)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/rtmkitConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/rtmkitConfig.cmake
  INSTALL_DESTINATION ${rtmkit_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/rtmkitConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/rtmkitConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/rtmkitConfigVersion.cmake
  DESTINATION ${rtmkit_INSTALL_CMAKEDIR}
  COMPONENT rtmkit_Development)

# rtmkit.pc is relocatable: its prefix is derived from its own location (${pcfiledir}), so that
# `cmake --install --prefix DIR` works without reconfiguring.
set(RTMKIT_PC_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(RTMKIT_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(RTMKIT_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(RTMKIT_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _rtmkit_up "/prefix/${RTMKIT_PC_DIR}" "/prefix")
  string(REGEX REPLACE "/$" "" _rtmkit_up "${_rtmkit_up}")
  set(RTMKIT_PC_PREFIX "\${pcfiledir}/${_rtmkit_up}")
  set(RTMKIT_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(RTMKIT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/rtmkit.pc.in ${CMAKE_CURRENT_BINARY_DIR}/rtmkit.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/rtmkit.pc DESTINATION ${RTMKIT_PC_DIR} COMPONENT rtmkit_Development)

# Binary packages (TGZ; DEB where dpkg exists): the C SDK split into Runtime and Development, and
# rtmd (server/CMakeLists.txt and tools/ install its files as component rtmd). Binaries are stripped.
if(PROJECT_IS_TOP_LEVEL)
  set(CPACK_PACKAGE_NAME rtmkit)
  set(CPACK_PACKAGE_VENDOR "rtmkit")
  set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "rtmkit real-time messaging SDK (C API, Agora RTM 1.x compatible)")
  set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
  set(CPACK_PACKAGE_CONTACT "rtmkit maintainers")
  set(CPACK_GENERATOR TGZ)
  set(CPACK_STRIP_FILES ON)
  set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
  find_program(RTMKIT_DPKG dpkg)
  if(RTMKIT_DPKG)
    list(APPEND CPACK_GENERATOR DEB)
    set(CPACK_DEB_COMPONENT_INSTALL ON)
    set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    set(CPACK_DEBIAN_RTMKIT_RUNTIME_PACKAGE_NAME "librtmkit${RTM_ABI_VERSION}")
    set(CPACK_DEBIAN_RTMKIT_DEVELOPMENT_PACKAGE_NAME "librtmkit-dev")
    set(CPACK_DEBIAN_RTMKIT_RUNTIME_PACKAGE_DEPENDS "libssl3, libsqlite3-0, zlib1g")
    set(CPACK_DEBIAN_RTMKIT_DEVELOPMENT_PACKAGE_DEPENDS "librtmkit${RTM_ABI_VERSION} (= ${PROJECT_VERSION})")
    set(CPACK_DEBIAN_RTMD_PACKAGE_NAME rtmd)
    set(CPACK_DEBIAN_RTMD_PACKAGE_SECTION net)
    set(CPACK_DEBIAN_RTMD_PACKAGE_DEPENDS "libssl3, libsqlite3-0, zlib1g")
    set(CPACK_DEBIAN_RTMD_DESCRIPTION "rtmkit server: real-time messaging with Agora RTM 1.x semantics")
    set(CPACK_DEBIAN_RTMD_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_LIST_DIR}/deb/rtmd/postinst)
    set(CPACK_DEBIAN_RTMD_PACKAGE_CONTROL_STRICT_PERMISSION ON)
  endif()
  set(CPACK_COMPONENTS_ALL rtmkit_Runtime rtmkit_Development rtmd)
  set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
  include(CPack)
endif()
